/**
 * Files named by flags: regular files within a limit, or one error naming the flag, the file and the fix (the
 * operator process with such flags: tests/hostile/cli-files.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFlagFile } from '../../src/runtime/files';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-flag-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readFlagFile', () => {
  it('reads a regular file, and refuses a device, a directory, a missing file and one over the limit', () => {
    const ok = path.join(dir, 'tls.crt');
    fs.writeFileSync(ok, 'PEM');
    expect(readFlagFile('--webhook-cert', ok, 'a PEM certificate')).toBe('PEM');
    expect(() => readFlagFile('--webhook-cert', '/dev/zero', 'a PEM certificate')).toThrow(
      '--webhook-cert /dev/zero: not a regular file (a device, FIFO or socket); pass a PEM certificate',
    );
    expect(() => readFlagFile('--kubeconfig', dir, 'a kubeconfig file')).toThrow(
      `--kubeconfig ${dir}: not a regular file (a directory); pass a kubeconfig file`,
    );
    expect(() => readFlagFile('--kubeconfig', path.join(dir, 'none'), 'a kubeconfig file')).toThrow(
      /^--kubeconfig .*\/none: ENOENT: no such file or directory, stat '.*\/none'; pass a kubeconfig file$/,
    );
    fs.writeFileSync(ok, 'x'.repeat(101));
    expect(() => readFlagFile('--webhook-cert', ok, 'a PEM certificate', 100)).toThrow(
      `--webhook-cert ${ok}: 101 bytes, more than the limit of 100; pass a PEM certificate`,
    );
  });
});
