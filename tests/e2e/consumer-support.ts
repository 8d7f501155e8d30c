/**
 * Helpers of the consumer-package suite: pack the repository with `npm pack`, unpack the tarball, install it into
 * fresh projects outside the repository, and inspect what a consumer gets (typings, source maps, links, sizes).
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type RunResult } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';

/** The repository's package.json. */
export const REPO_PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The environment for npm in a consumer project: the parent npm's settings (npm test) removed. */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_UPDATE_NOTIFIER: '1', NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false' };
}

/** `npm pack` of the built repository into `dir`; returns the tarball's absolute path. */
export async function packRepository(dir: string): Promise<string> {
  // dist/ is built by the caller (ensureBuilt); --ignore-scripts keeps prepack from racing other suites' builds
  const res = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    env: npmEnv(),
    timeoutMs: 120_000,
  });
  const [info] = JSON.parse(res.stdout) as { filename: string }[];
  return path.join(dir, info.filename);
}

/** Unpacks a tarball into `dir/package`; returns that directory. */
export async function unpack(tarball: string, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dir]);
  return path.join(dir, 'package');
}

/** Writes a consumer project (package.json + files) and runs `npm install` there; returns the install result. */
export async function installProject(
  dir: string,
  dependencies: Record<string, string>,
  files: Record<string, string>,
): Promise<RunResult> {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = { name: path.basename(dir), version: '1.0.0', private: true, dependencies };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: npmEnv(),
    timeoutMs: 8 * 60_000,
  });
}

/** Every file under `dir`, relative to it. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Bare module specifiers (package names) a typing file imports or references. */
export function importedPackages(dts: string): string[] {
  const specifiers = [
    ...dts.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g),
    ...dts.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...dts.matchAll(/\bimport\s+['"]([^'"]+)['"]/g),
    ...dts.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...dts.matchAll(/<reference\s+types=['"]([^'"]+)['"]/g),
  ].map((m) => m[1]);
  return specifiers
    .filter((s) => !s.startsWith('.'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

/** True for `fs`, `node:fs`, ... (their typings come from @types/node, which a consumer brings). */
export function isBuiltin(name: string): boolean {
  return name.startsWith('node:') || builtinModules.includes(name);
}

/** Relative link targets of a Markdown text (`[text](target)`), without anchors. */
export function relativeLinks(markdown: string): string[] {
  // code (fenced blocks and inline spans) holds no links, though a regular expression in it may look like one
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].split('#')[0])
    .filter((t) => t && !/^[a-z]+:/i.test(t));
}

/** Disk use of a directory in bytes (`du -sb`). */
export async function diskUsage(dir: string): Promise<number> {
  const res = await run('du', ['-sb', dir]);
  return Number(res.stdout.split(/\s+/)[0]);
}

/** A fresh temp directory outside the repository. */
export function tempOutsideRepo(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (path.resolve(dir).startsWith(path.resolve(REPO_ROOT) + path.sep)) {
    throw new Error(`${dir} is inside the repository; set TMPDIR to a directory outside ${REPO_ROOT}`);
  }
  return dir;
}

/** tsconfig of a consumer under one moduleResolution, with the library typings checked (skipLibCheck false). */
export function consumerTsconfig(resolution: 'node10' | 'node16' | 'nodenext' | 'bundler', files: string[]): string {
  const module = { node10: 'commonjs', node16: 'node16', nodenext: 'nodenext', bundler: 'esnext' }[resolution];
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023'],
    module,
    moduleResolution: resolution,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
    esModuleInterop: true,
  };
  return `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`;
}
