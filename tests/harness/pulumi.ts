/**
 * Drive the real `pulumi` CLI (built by scripts/tools.sh) against a local file backend with
 * passphrase secrets, a private PULUMI_HOME, and no network: no update check, no plugin
 * downloads, no registry look-ups.
 *
 *   const p = await createPulumi({ env: { KUBECONFIG: kube.kubeconfig } });
 *   const stack = await p.stack(path.join(REPO_ROOT, 'tests/fixtures/pulumi-dynamic'));
 *   await stack.setConfig('greeting', 'hi');
 *   await stack.up();
 *   expect((await stack.outputs()).message).toBe('hi');
 *   await stack.destroy();
 *   await p.cleanup();
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { run, RunOptions, RunResult } from './proc';
import { REPO_ROOT, toolPath, toolsBinDir } from './tools';

export interface PulumiOptions {
  /** Directory with pulumi, pulumi-language-nodejs, ...; default toolsBinDir(). */
  binDir?: string;
  /** Default 'vvp-iac-test-passphrase'. */
  passphrase?: string;
  /** Extra environment for every pulumi command (e.g. KUBECONFIG, VVP_URL). */
  env?: NodeJS.ProcessEnv;
  /** Keep the temp directory after cleanup(); also with VVP_IAC_KEEP_TMP=1. */
  keepTmp?: boolean;
}

export interface PulumiRunOptions extends RunOptions {
  /** Extra arguments appended to the command. */
  args?: string[];
}

export interface Pulumi {
  /** Temp directory holding home/ and state/. */
  dir: string;
  /** PULUMI_HOME */
  home: string;
  /** Directory of the file backend. */
  backendDir: string;
  /** file://... */
  backendUrl: string;
  /** The environment every pulumi command runs with. */
  env: NodeJS.ProcessEnv;
  /** Run `pulumi <args>` (cwd defaults to the repo root). Rejects on non-zero exit unless allowFailure. */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /**
   * Select (creating it if needed) a stack of the Pulumi program in `programDir`. By default the
   * program directory is copied to `<repo>/.pulumi-test/<unique>/` (git-ignored) so that
   * Pulumi.<stack>.yaml is not written into the source tree and node resolution still finds the
   * repository's node_modules; pass `inPlace: true` to use the directory as it is.
   */
  stack(programDir: string, stackName?: string, opts?: { inPlace?: boolean }): Promise<PulumiStack>;
  /** Remove the temp directory and program copies. */
  cleanup(): Promise<void>;
}

export interface PulumiStack {
  name: string;
  /** `name` from Pulumi.yaml */
  project: string;
  /** The directory the commands run in (the copy, unless inPlace). */
  programDir: string;
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  setConfig(key: string, value: string, opts?: { secret?: boolean; path?: boolean }): Promise<void>;
  setAllConfig(values: Record<string, string | { value: string; secret?: boolean }>): Promise<void>;
  /** pulumi up --yes --skip-preview */
  up(opts?: PulumiRunOptions): Promise<RunResult>;
  /** pulumi preview (add `args: ['--expect-no-changes']` to assert a clean diff) */
  preview(opts?: PulumiRunOptions): Promise<RunResult>;
  /** pulumi refresh --yes --skip-preview */
  refresh(opts?: PulumiRunOptions): Promise<RunResult>;
  /** pulumi destroy --yes --skip-preview */
  destroy(opts?: PulumiRunOptions): Promise<RunResult>;
  /** pulumi stack output --json --show-secrets, parsed. */
  outputs(): Promise<Record<string, any>>;
  /** pulumi stack export (secrets stay encrypted), parsed. */
  exportState(): Promise<any>;
  /** Absolute path of the stack's checkpoint file in the file backend. */
  stateFilePath(): string;
  /** The checkpoint file's raw text, as stored (assert that no plaintext secret is in it). */
  rawState(): string;
  /** pulumi stack rm --yes --force */
  remove(): Promise<void>;
}

const COMMON = ['--non-interactive', '--color=never'];

/** Set up a private Pulumi home + file backend. Call cleanup() when done (e.g. in afterAll). */
export async function createPulumi(opts: PulumiOptions = {}): Promise<Pulumi> {
  const binDir = opts.binDir ?? toolsBinDir();
  const pulumiBin = opts.binDir ? path.join(binDir, 'pulumi') : toolPath('pulumi');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-pulumi-'));
  const home = path.join(dir, 'home');
  const backendDir = path.join(dir, 'state');
  fs.mkdirSync(home);
  fs.mkdirSync(backendDir);
  const backendUrl = `file://${backendDir}`;
  const copies: string[] = [];
  const keep = opts.keepTmp || process.env.VVP_IAC_KEEP_TMP === '1';

  // Start from the test process's environment minus any PULUMI_* settings of the developer.
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PULUMI_')) base[k] = v;
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? 'vvp-iac-test-passphrase',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_DISABLE_REGISTRY_RESOLVE: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
    PULUMI_ENABLE_AUTOMATIC_AGENT_SIGNUP: 'false',
    NO_COLOR: '1',
    ...opts.env,
  };

  const pulumiRun = (args: string[], o: RunOptions = {}) =>
    run(pulumiBin, args, { cwd: REPO_ROOT, timeoutMs: 5 * 60_000, ...o, env: { ...env, ...o.env } });

  const stack = async (
    programDir: string,
    stackName = 'test',
    so: { inPlace?: boolean } = {},
  ): Promise<PulumiStack> => {
    let cwd = path.resolve(programDir);
    if (!so.inPlace) {
      const root = path.join(REPO_ROOT, '.pulumi-test');
      fs.mkdirSync(root, { recursive: true });
      const copyRoot = fs.mkdtempSync(path.join(root, 'run-'));
      copies.push(copyRoot);
      const dest = path.join(copyRoot, path.basename(cwd));
      fs.cpSync(cwd, dest, {
        recursive: true,
        filter: (src) => !/(^|[/\\])(node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(src),
      });
      cwd = dest;
    }
    const projectFile = ['Pulumi.yaml', 'Pulumi.yml'].map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new Error(`no Pulumi.yaml in ${cwd}`);
    const project = String((parseYaml(fs.readFileSync(projectFile, 'utf8')) as { name?: unknown }).name ?? '');
    if (!project) throw new Error(`${projectFile} has no name`);

    const sRun = (args: string[], o: RunOptions = {}) => pulumiRun(args, { cwd, ...o });
    const withStack = (cmd: string[], extra: string[] = []) => [...cmd, '--stack', stackName, ...COMMON, ...extra];

    const init = await sRun(withStack(['stack', 'init'], ['--secrets-provider=passphrase']), { allowFailure: true });
    if (init.code !== 0) {
      if (!/already exists/i.test(init.stderr + init.stdout)) {
        throw new Error(`pulumi stack init failed:\n${init.stderr}\n${init.stdout}`);
      }
      await sRun(['stack', 'select', stackName, ...COMMON]);
    }

    const stateFilePath = () => path.join(backendDir, '.pulumi', 'stacks', project, `${stackName}.json`);
    const op =
      (cmd: string[], defaults: string[]) =>
      (o: PulumiRunOptions = {}) => {
        const { args = [], ...rest } = o;
        return sRun(withStack(cmd, [...defaults, ...args]), { timeoutMs: 10 * 60_000, ...rest });
      };
    const setConfig = async (key: string, value: string, o: { secret?: boolean; path?: boolean } = {}) => {
      // The value goes through stdin so secrets never appear on a command line.
      await sRun(
        withStack(
          ['config', 'set', key],
          [...(o.secret ? ['--secret'] : ['--plaintext']), ...(o.path ? ['--path'] : [])],
        ),
        {
          input: value,
        },
      );
    };
    return {
      name: stackName,
      project,
      programDir: cwd,
      run: sRun,
      setConfig,
      setAllConfig: async (values) => {
        for (const [k, v] of Object.entries(values)) {
          if (typeof v === 'string') await setConfig(k, v);
          else await setConfig(k, v.value, { secret: v.secret });
        }
      },
      up: op(['up'], ['--yes', '--skip-preview']),
      preview: op(['preview'], []),
      refresh: op(['refresh'], ['--yes', '--skip-preview']),
      destroy: op(['destroy'], ['--yes', '--skip-preview']),
      outputs: async () =>
        JSON.parse((await sRun(withStack(['stack', 'output'], ['--json', '--show-secrets']))).stdout || '{}'),
      exportState: async () => JSON.parse((await sRun(withStack(['stack', 'export']))).stdout),
      stateFilePath,
      rawState: () => fs.readFileSync(stateFilePath(), 'utf8'),
      remove: async () => {
        await sRun(['stack', 'rm', stackName, '--yes', '--force', ...COMMON]);
      },
    };
  };

  return {
    dir,
    home,
    backendDir,
    backendUrl,
    env,
    run: pulumiRun,
    stack,
    cleanup: async () => {
      if (keep) return;
      for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
