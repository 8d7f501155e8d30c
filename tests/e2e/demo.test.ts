/**
 * The README's first command, `npm run demo`, end to end with the tools it builds on a fresh machine: the lean
 * pulumi CLI (scripts/tools.sh --only pulumi --lean; ADR 0012), the embedded emulator, examples/pulumi-basic
 * through create, RUNNING, savepoint and destroy. Also what the lean CLI says for a feature it leaves out.
 * (`npm test` builds the lean tools before jest; run alone, this test builds them, a few minutes the first time.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';

jest.setTimeout(15 * 60_000);

const PULUMI_VERSION = /^PULUMI_VERSION=(\S+)/m.exec(
  fs.readFileSync(path.join(REPO_ROOT, 'tools', 'versions.env'), 'utf8'),
)?.[1];

let leanBin: string;

beforeAll(async () => {
  const fromEnv = process.env.VVP_IAC_LEAN_TOOLS_DIR;
  if (fromEnv) leanBin = fromEnv;
  else {
    const res = await run('bash', [path.join(REPO_ROOT, 'scripts', 'tools.sh'), '--only', 'pulumi', '--lean'], {
      cwd: REPO_ROOT,
      timeoutMs: 14 * 60_000,
    });
    leanBin = res.stdout.trim().split('\n').pop()!;
  }
});

describe('the lean pulumi tools of the demo', () => {
  it('live under their own key and hold pulumi, its Node.js host and the dynamic-provider shim', async () => {
    expect(leanBin).toMatch(/\/pulumi-lean-[0-9.]+_[0-9a-f]{12}\/bin$/);
    expect(fs.readdirSync(leanBin).sort()).toEqual([
      'pulumi',
      'pulumi-language-nodejs',
      'pulumi-resource-pulumi-nodejs',
    ]);
    expect((await run(path.join(leanBin, 'pulumi'), ['version'])).stdout.trim()).toBe(PULUMI_VERSION);
  });

  it('answer a left-out cloud backend or secrets provider with an error naming the full build', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-lean-'));
    try {
      const env = { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: 'true' };
      const login = await run(path.join(leanBin, 'pulumi'), ['login', 's3://some-bucket', '--non-interactive'], {
        env,
        allowFailure: true,
      });
      expect(login.code).not.toBe(0);
      expect(login.stderr).toContain('the s3:// state backend is not in this lean pulumi build');
      expect(login.stderr).toContain('bash scripts/tools.sh');
      const project = path.join(home, 'project');
      fs.mkdirSync(path.join(home, 'state'));
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'Pulumi.yaml'), 'name: lean\nruntime: nodejs\n');
      const init = await run(
        path.join(leanBin, 'pulumi'),
        ['stack', 'init', 'dev', '--secrets-provider', 'awskms://alias/x', '--non-interactive'],
        { cwd: project, env: { ...env, PULUMI_BACKEND_URL: `file://${home}/state` }, allowFailure: true },
      );
      expect(init.code).not.toBe(0);
      expect(init.stderr).toContain('the awskms:// secrets provider is not in this lean pulumi build');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('scripts/pulumi-lean-module.js', () => {
  it('refuses, naming the file and the edit, when upstream text moved (tools.sh then builds the full CLI)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-lean-mod-'));
    try {
      const pkg = path.join(dir, 'pkg');
      fs.mkdirSync(path.join(pkg, 'backend', 'diy'), { recursive: true });
      fs.writeFileSync(path.join(pkg, 'go.mod'), 'module github.com/pulumi/pulumi/pkg/v3\n');
      fs.writeFileSync(
        path.join(pkg, 'backend', 'diy', 'backend.go'),
        'package diy\n\nfunc IsDIYBackendURL() bool { return true }\n',
      );
      const res = await run(
        'node',
        [
          path.join(REPO_ROOT, 'scripts', 'pulumi-lean-module.js'),
          pkg,
          path.join(REPO_ROOT, 'tools', 'pulumi'),
          path.join(dir, 'out'),
        ],
        { allowFailure: true },
      );
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        /^pulumi-lean-module: backend\/diy\/backend\.go: edit 1 \(.*\) matched 0 times, not once\n$/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run demo (scripts/demo.sh) with the lean tools', () => {
  let out: { code: number; stdout: string; stderr: string };
  const leftovers = () =>
    fs.existsSync(path.join(REPO_ROOT, '.pulumi-test'))
      ? fs.readdirSync(path.join(REPO_ROOT, '.pulumi-test')).filter((d) => d.startsWith('demo-'))
      : [];
  let before: string[];

  beforeAll(async () => {
    before = leftovers();
    out = await run('bash', [path.join(REPO_ROOT, 'scripts', 'demo.sh')], {
      cwd: REPO_ROOT,
      env: { ...process.env, VVP_IAC_TOOLS_DIR: leanBin },
      allowFailure: true,
      timeoutMs: 10 * 60_000,
    });
  });

  it('exits 0 after every step of the lifecycle, in order', () => {
    expect(out.stderr.slice(-2000)).not.toMatch(/error:/i);
    expect(out.code).toBe(0);
    const steps = [
      'starting the VVP emulator',
      'pulumi up: create the deployment (CANCELLED)',
      'pulumi up: state RUNNING',
      'pulumi up: savepointNonce 1',
      'stack outputs',
      'pulumi destroy',
      'done in',
    ].map((s) => out.stdout.indexOf(s));
    expect(steps.every((i) => i >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('reports the deployment RUNNING with a completed savepoint in the stack outputs', () => {
    const json = /== stack outputs\n(\{[^]*?\n\})/.exec(out.stdout)?.[1];
    expect(json).toBeDefined();
    const outputs = JSON.parse(json!);
    expect(outputs.actualState).toBe('RUNNING');
    expect(outputs.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outputs.lastSavepoint).toEqual(expect.objectContaining({ nonce: 1, state: 'COMPLETED' }));
  });

  it('removes what it started: no program directory left in .pulumi-test', () => {
    expect(leftovers()).toEqual(before);
  });
});
