/**
 * Shared setup of the native-provider e2e suites: a fresh dist/ and nodejs SDK build, the native test tools
 * (scripts/native-tools.sh: pulumi-language-yaml, the Python host), an emulator, and pulumi stacks of the
 * examples/native-* programs whose `plugins.providers` entry points at this repository's bin/ (the programs are
 * copied, so the relative path of the example is rewritten to an absolute one).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { EmulatorHandle } from '../../emulator/src/index';
import { run } from '../harness/proc';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { ensureBuilt } from './provider-support';

/** The resource type of the native provider. */
export const NATIVE_TYPE = 'vvp:index:Deployment';
/** Where the plugin shim lives. */
export const PLUGIN_DIR = path.join(REPO_ROOT, 'bin');

let nativeTools: string | undefined;

/** The bin directory of scripts/native-tools.sh (built on first use, then cached). */
export function nativeToolsDir(): string {
  if (nativeTools) return nativeTools;
  const fromEnv = process.env.VVP_IAC_NATIVE_TOOLS_DIR;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'pulumi-language-yaml'))) return (nativeTools = fromEnv);
  const res = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'native-tools.sh')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const dir = res.stdout.trim().split('\n').pop();
  if (res.status !== 0 || !dir || !fs.existsSync(dir)) {
    throw new Error(`bash scripts/native-tools.sh failed (exit ${res.status}); see its output above`);
  }
  process.env.VVP_IAC_NATIVE_TOOLS_DIR = dir;
  return (nativeTools = dir);
}

/** dist/ (the plugin's code) and sdks/nodejs/bin (what `vvp-iac/native` loads), built when stale. */
export async function ensureNativeBuilt(): Promise<void> {
  await ensureBuilt();
  const sdk = path.join(REPO_ROOT, 'sdks', 'nodejs');
  const built = path.join(sdk, 'bin', 'package.json'); // written last by the build
  const sources = fs
    .readdirSync(sdk, { recursive: true, encoding: 'utf8' })
    .filter((f) => !/^(bin|node_modules)\b/.test(f));
  const newest = Math.max(...sources.map((f) => fs.statSync(path.join(sdk, f)).mtimeMs));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest) return;
  await run(process.execPath, [path.join(REPO_ROOT, 'scripts', 'native-sdks.js'), '--build'], {
    cwd: REPO_ROOT,
    timeoutMs: 5 * 60_000,
  });
}

/** A pulumi CLI whose PATH also has the native tools (language hosts). */
export async function createNativePulumi(env: NodeJS.ProcessEnv = {}): Promise<Pulumi> {
  const tools = nativeToolsDir();
  const p = await createPulumi({ env });
  p.env.PATH = `${tools}${path.delimiter}${p.env.PATH ?? ''}`;
  return p;
}

/** Points the copied program's `plugins.providers` entry for vvp at `dir` (absolute). */
export function usePluginDir(stack: PulumiStack, dir: string = PLUGIN_DIR): void {
  const file = path.join(stack.programDir, 'Pulumi.yaml');
  const project = parseYaml(fs.readFileSync(file, 'utf8')) as {
    plugins?: { providers?: { name: string; path: string }[] };
  };
  const providers = (project.plugins?.providers ?? []).filter((p) => p.name !== 'vvp');
  project.plugins = { ...project.plugins, providers: [...providers, { name: 'vvp', path: dir }] };
  fs.writeFileSync(file, toYaml(project));
}

/** A stack of an examples/native-* program, configured for the emulator, with the plugin from bin/. */
export async function nativeStack(
  p: Pulumi,
  example: string,
  emu: EmulatorHandle,
  token: string,
  stackName = 'test',
): Promise<PulumiStack> {
  const stack = await p.stack(path.join(REPO_ROOT, 'examples', example), stackName);
  usePluginDir(stack);
  await stack.setConfig('vvp:baseUrl', emu.url);
  await stack.setConfig('vvp:apiToken', token, { secret: true });
  return stack;
}

/** The state's resource of the native type named `name`. */
export async function stateResource(stack: PulumiStack, name = 'orders'): Promise<any> {
  const state = await stack.exportState();
  return state.deployment.resources.find(
    (r: { type: string; urn: string }) => r.type === NATIVE_TYPE && r.urn.endsWith(`::${name}`),
  );
}
