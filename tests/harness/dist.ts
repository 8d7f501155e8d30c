/**
 * The one rule for whether dist/ is current, for every e2e suite that runs built code (the operator binary, the
 * examples loading vvp-iac/pulumi or vvp-iac/cdk8s): dist/ is rebuilt with tsc when an entry point is missing or
 * older than any source file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './proc';
import { REPO_ROOT } from './tools';

/** What tsc compiles (tsconfig.json's include). */
const SOURCE_DIRS = ['core/src', 'vvp-client/src', 'emulator/src', 'provider/src', 'sdk/src', 'operator/src'];
/** The built entry points the suites load. */
const ENTRY_POINTS = [
  'dist/operator/src/main.js',
  'dist/provider/src/handlers.js',
  'dist/sdk/src/pulumi/index.js',
  'dist/sdk/src/cdk8s/index.js',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function current(): boolean {
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(REPO_ROOT, d))));
  return ENTRY_POINTS.every((rel) => {
    const file = path.join(REPO_ROOT, rel);
    return fs.existsSync(file) && fs.statSync(file).mtimeMs >= sources;
  });
}

/** Builds dist/ when it is not current; fails with the way forward when tsc emits no entry point. */
export async function ensureBuilt(): Promise<void> {
  if (current()) return;
  // type errors elsewhere in the repository do not stop the emit (noEmitOnError is off)
  await run(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: REPO_ROOT, allowFailure: true, timeoutMs: 5 * 60_000 },
  );
  for (const rel of ENTRY_POINTS)
    if (!fs.existsSync(path.join(REPO_ROOT, rel)))
      throw new Error(`tsc did not produce ${rel}; run \`npm run build\` and read its errors`);
}
