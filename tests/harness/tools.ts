/**
 * Where the real test binaries live (etcd, kube-apiserver, kubectl, pulumi, ...).
 *
 * `VVP_IAC_TOOLS_DIR` wins; otherwise `bash scripts/tools.sh` is run (a fast no-op once built, a
 * long Go build on a cold machine) and the last line of its stdout is the directory.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (the directory holding package.json). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

let cached: string | undefined;

/**
 * The absolute directory holding the test binaries. Synchronous: when the tools are not built
 * yet, this blocks for the whole build (tens of minutes on 2 cores). CI should run
 * `export VVP_IAC_TOOLS_DIR=$(bash scripts/tools.sh)` before jest.
 */
export function toolsBinDir(): string {
  if (cached) return cached;
  const fromEnv = process.env.VVP_IAC_TOOLS_DIR;
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, 'kube-apiserver'))) {
      throw new Error(`VVP_IAC_TOOLS_DIR=${fromEnv} does not contain kube-apiserver`);
    }
    cached = path.resolve(fromEnv);
    return cached;
  }
  const script = path.join(REPO_ROOT, 'scripts', 'tools.sh');
  const res = spawnSync('bash', [script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'], // progress (stderr) stays visible
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.status !== 0) {
    throw new Error(`bash scripts/tools.sh failed (exit ${res.status ?? res.signal}); see its output above`);
  }
  const lines = res.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const dir = lines[lines.length - 1];
  if (!dir || !path.isAbsolute(dir) || !fs.existsSync(dir)) {
    throw new Error(`scripts/tools.sh did not print a bin directory as its last line:\n${res.stdout}`);
  }
  cached = dir;
  // Child processes (and later calls in this worker) reuse it.
  process.env.VVP_IAC_TOOLS_DIR = dir;
  return dir;
}

/** Absolute path of one tool, e.g. `toolPath('kubectl')`. Throws if it is missing. */
export function toolPath(name: string): string {
  const p = path.join(toolsBinDir(), name);
  if (!fs.existsSync(p)) {
    throw new Error(
      `${name} is not in ${toolsBinDir()}` +
        (name === 'pulumi-resource-kubernetes'
          ? ' (build it with: bash scripts/tools.sh --with-kubernetes-provider)'
          : ''),
    );
  }
  return p;
}

/** True when an optional tool (e.g. pulumi-resource-kubernetes) has been built. */
export function hasTool(name: string): boolean {
  return fs.existsSync(path.join(toolsBinDir(), name));
}

/** process.env with the tools directory first on PATH. */
export function envWithTools(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${toolsBinDir()}${path.delimiter}${process.env.PATH ?? ''}`, ...extra };
}
