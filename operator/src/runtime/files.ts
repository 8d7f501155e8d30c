/**
 * Files named by flags (--kubeconfig, --webhook-cert, --webhook-key, --webhook-ca, --webhook-client-ca, and the
 * files a kubeconfig points at): read whole, but only regular files up to a size limit, so that `/dev/zero` or a
 * FIFO cannot fill the memory or stall the start; every failure names the flag, the file and the fix.
 */
import * as fs from 'node:fs';
import { messageOf } from '../../../core/src/errors';
import { ConfigError } from './config';

/** Largest file a flag may name: far above any kubeconfig, certificate chain or CA bundle. */
export const MAX_FLAG_FILE_BYTES = 4 * 1024 * 1024;

/** The reason a file cannot be used, or undefined when it is a regular file within the limit. */
function fileProblem(file: string, max: number): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    return messageOf(err);
  }
  if (!stat.isFile()) return `not a regular file (${stat.isDirectory() ? 'a directory' : 'a device, FIFO or socket'})`;
  if (stat.size > max) return `${stat.size} bytes, more than the limit of ${max}`;
  return undefined;
}

/** Checks that `file` (named by `flag`) is a regular file within the limit; throws a ConfigError otherwise. */
export function checkFlagFile(flag: string, file: string, what: string, max = MAX_FLAG_FILE_BYTES): void {
  const problem = fileProblem(file, max);
  if (problem) throw new ConfigError(`${flag} ${file}: ${problem}; pass ${what}`);
}

/** Reads a file named by `flag` as UTF-8, after checkFlagFile; a read that grows past the limit fails too. */
export function readFlagFile(flag: string, file: string, what: string, max = MAX_FLAG_FILE_BYTES): string {
  checkFlagFile(flag, file, what, max);
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${flag} ${file}: ${messageOf(err)}; pass ${what}`);
  }
  if (data.length > max) throw new ConfigError(`${flag} ${file}: more than the limit of ${max} bytes; pass ${what}`);
  return data.toString('utf8');
}
