/**
 * Shared setup of the provider e2e suites: a fresh dist/ (the examples load vvp-iac/pulumi from it), an in-process
 * VVP emulator, and the real pulumi CLI on a file backend (tests/harness/pulumi.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle, type RequestRecord } from '../../emulator/src/index';
import { run } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';

const SOURCE_DIRS = ['core/src', 'vvp-client/src', 'provider/src', 'sdk/src/pulumi'];
const BUILT = path.join(REPO_ROOT, 'dist', 'sdk', 'src', 'pulumi', 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with tsc when it is missing or older than the sources the examples load. */
export async function ensureBuilt(): Promise<void> {
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(REPO_ROOT, d))));
  if (
    fs.existsSync(BUILT) &&
    fs.statSync(path.join(REPO_ROOT, 'dist', 'provider', 'src', 'handlers.js')).mtimeMs >= sources
  )
    return;
  // type errors elsewhere in the repository do not stop the emit (noEmitOnError is off)
  await run(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: REPO_ROOT, allowFailure: true, timeoutMs: 5 * 60_000 },
  );
  if (!fs.existsSync(BUILT))
    throw new Error('tsc did not produce dist/sdk/src/pulumi/index.js; run `npm run build` and read its errors');
}

/** An emulator with a token and fast state transitions. */
export async function startTestEmulator(token: string): Promise<EmulatorHandle> {
  return startEmulator({ transitionDelayMs: 20, token });
}

/** Requests after a mark, as `METHOD /last/two` strings (admin routes are never recorded). */
export function requestsSince(
  emu: EmulatorHandle,
  mark: number,
  filter: (r: RequestRecord) => boolean = () => true,
): RequestRecord[] {
  return emu.requests.slice(mark).filter(filter);
}

/** True for requests that change something (POST, PUT, PATCH, DELETE). */
export const isWrite = (r: RequestRecord): boolean => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method);
