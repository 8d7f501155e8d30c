/**
 * The package as a consumer gets it: `npm pack` of the repository, installed from the tarball into fresh TypeScript
 * projects in a temp directory outside the repository (a Pulumi project and a cdk8s-only project). Checks the
 * metadata and contents, compiles consumers under every moduleResolution with the library typings checked, runs
 * examples/pulumi-ts with the real pulumi CLI against the emulator, and synthesizes a TypeScript cdk8s app.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { EmulatorHandle } from '../../emulator/src/index';
import { run } from '../harness/proc';
import { createPulumi, type Pulumi } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import {
  consumerTsconfig,
  diskUsage,
  importedPackages,
  installProject,
  isBuiltin,
  listFiles,
  packRepository,
  relativeLinks,
  REPO_PACKAGE,
  tempOutsideRepo,
  unpack,
} from './consumer-support';
import { ensureBuilt, startTestEmulator } from './provider-support';

jest.setTimeout(10 * 60_000);

const TOKEN = 'consumer-token-4b3a2c1d';
const RESOLUTIONS = ['node10', 'node16', 'nodenext', 'bundler'] as const;
const dev = REPO_PACKAGE.devDependencies;
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'pulumi-ts');

const CONSUMER_PULUMI = `import * as pulumi from '@pulumi/pulumi';
import { Deployment, type DeploymentArgs } from 'vvp-iac/pulumi';
import { validate, type CrDeployment, type Issue } from 'vvp-iac/core';
import { createVvpClient, type VvpClient } from 'vvp-iac/client';
import { FakeVvpClient } from 'vvp-iac/testing';
import { startEmulator } from 'vvp-iac/emulator';
import * as vvp from 'vvp-iac';

const definition: CrDeployment = { metadata: { name: 'typed' }, spec: { state: 'CANCELLED' } };
const args: DeploymentArgs = { syncingMode: 'PATCH', deployment: definition };
const issues: Issue[] = validate({ metadata: { name: 'typed' }, spec: { syncingMode: 'PATCH', deployment: definition } });
const fake: VvpClient = new FakeVvpClient();
export const used = [pulumi.getStack, Deployment, args, issues, createVvpClient, fake, startEmulator, vvp.validate];
`;

const CDK8S_APP = `import { App, Chart } from 'cdk8s';
import { VvpDeployment, VvpOperator } from 'vvp-iac/cdk8s';
import { PUT_MANDATORY_FIELDS } from 'vvp-iac';

const app = new App({ outdir: 'synth' });
new VvpOperator(app, 'operator', { instanceId: 'platform-ops', watchedNamespaces: ['jobs'], vvpUrl: 'http://vvp:8080', image: 'vvp-operator:dev' });
const jobs = new Chart(app, 'jobs', { namespace: 'jobs' });
const orders = new VvpDeployment(jobs, 'orders', {
  instanceId: 'platform-ops',
  syncingMode: 'PATCH',
  deployment: {
    metadata: { name: 'orders', namespace: 'default' },
    spec: { state: 'RUNNING', template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://artifacts/orders.jar' } } } },
  },
  savepointNonce: 1,
});
orders.bumpSavepoint();
app.synth();
console.log(\`synthesized; PUT-mandatory fields: \${PUT_MANDATORY_FIELDS.length}\`);
`;

let work: string;
let pkgDir: string;
let pulumiApp: string;
let cdk8sApp: string;
let installs: Record<string, string> = {};
let emu: EmulatorHandle | undefined;
let p: Pulumi | undefined;

beforeAll(async () => {
  await ensureBuilt();
  work = tempOutsideRepo('vvp-consumer-');
  const tarball = await packRepository(work);
  pkgDir = await unpack(tarball, path.join(work, 'unpacked'));
  pulumiApp = path.join(work, 'pulumi-app');
  cdk8sApp = path.join(work, 'cdk8s-app');
  const example = Object.fromEntries(
    ['index.ts', 'tsconfig.json', 'Pulumi.yaml'].map((f) => [f, fs.readFileSync(path.join(EXAMPLE, f), 'utf8')]),
  );
  const [pulumiInstall, cdk8sInstall] = await Promise.all([
    installProject(
      pulumiApp,
      {
        'vvp-iac': `file:${tarball}`,
        // the oldest @pulumi/pulumi the peer range admits: the newest release that supports Node 20 (ADR 0005)
        '@pulumi/pulumi': REPO_PACKAGE.peerDependencies['@pulumi/pulumi'].replace(/^\^/, ''),
        typescript: dev.typescript,
        '@types/node': dev['@types/node'],
      },
      {
        ...example,
        'consumer.ts': CONSUMER_PULUMI,
        'needs-kubernetes.ts': `import { VvpDeploymentCR } from 'vvp-iac/pulumi-kubernetes';\nexport const c = VvpDeploymentCR;\n`,
        'tsconfig.needs-kubernetes.json': consumerTsconfig('nodenext', ['needs-kubernetes.ts']),
        ...Object.fromEntries(
          RESOLUTIONS.map((r) => [`tsconfig.${r}.json`, consumerTsconfig(r, ['index.ts', 'consumer.ts'])]),
        ),
      },
    ),
    installProject(
      cdk8sApp,
      {
        'vvp-iac': `file:${tarball}`,
        cdk8s: dev.cdk8s,
        constructs: dev.constructs,
        typescript: dev.typescript,
        '@types/node': dev['@types/node'],
      },
      {
        'main.ts': CDK8S_APP,
        ...Object.fromEntries(RESOLUTIONS.map((r) => [`tsconfig.${r}.json`, consumerTsconfig(r, ['main.ts'])])),
      },
    ),
  ]);
  installs = { pulumi: pulumiInstall.stdout + pulumiInstall.stderr, cdk8s: cdk8sInstall.stdout + cdk8sInstall.stderr };
}, 15 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
  if (work && process.env.VVP_IAC_KEEP_TMP !== '1') fs.rmSync(work, { recursive: true, force: true });
});

const shipped = (rel: string) => fs.readFileSync(path.join(pkgDir, rel), 'utf8');
const tsc = (project: string, config: string) =>
  run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
    cwd: project,
    allowFailure: true,
    timeoutMs: 5 * 60_000,
  });

describe('package metadata and contents', () => {
  it('has no install-time scripts and names its repository, homepage and issue tracker', () => {
    const pkg = JSON.parse(shipped('package.json'));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare']) {
      expect(pkg.scripts?.[hook]).toBeUndefined();
    }
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
  });

  it('installs on this Node.js without an engine warning, and engines admits this Node.js', () => {
    const pkg = JSON.parse(shipped('package.json'));
    const [major, minor] = process.versions.node.split('.').map(Number);
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node) ?? [];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(Number(wantMajor) * 1000 + Number(wantMinor));
    expect(installs.pulumi).not.toMatch(/EBADENGINE/);
    expect(installs.cdk8s).not.toMatch(/EBADENGINE/);
  });

  it('every shipped typing imports only relative paths, node built-ins or declared (peer) dependencies', () => {
    const pkg = JSON.parse(shipped('package.json'));
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const typings = listFiles(pkgDir).filter((f) => f.endsWith('.d.ts'));
    expect(typings.length).toBeGreaterThan(20);
    const undeclared = typings.flatMap((f) =>
      importedPackages(shipped(f))
        .filter((name) => !isBuiltin(name) && !declared.has(name) && name !== pkg.name)
        .map((name) => `${f}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('every source map carries the text of its sources', () => {
    const maps = listFiles(pkgDir).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    const incomplete = maps.filter((f) => {
      const map = JSON.parse(shipped(f)) as { sources: string[]; sourcesContent?: (string | null)[] };
      return map.sources.some((_, i) => typeof map.sourcesContent?.[i] !== 'string');
    });
    expect(incomplete).toEqual([]);
  });

  it('every relative link of the shipped Markdown files points at a shipped file', () => {
    const docs = listFiles(pkgDir).filter((f) => f.endsWith('.md'));
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'docs/contract.md']));
    const broken = docs.flatMap((f) =>
      relativeLinks(shipped(f))
        .filter((target) => !fs.existsSync(path.join(pkgDir, path.dirname(f), target)))
        .map((target) => `${f} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('test fakes come from vvp-iac/testing, not from vvp-iac/client', async () => {
    const script =
      "const c = require('vvp-iac/client'); const t = require('vvp-iac/testing');" +
      'console.log(JSON.stringify({ client: typeof c.FakeVvpClient, testing: typeof t.FakeVvpClient, create: typeof c.createVvpClient }));';
    const res = await run(process.execPath, ['-e', script], { cwd: pulumiApp });
    expect(JSON.parse(res.stdout)).toEqual({ client: 'undefined', testing: 'function', create: 'function' });
  });

  it('a cdk8s-only install pulls neither Pulumi nor the Kubernetes client', async () => {
    const modules = path.join(cdk8sApp, 'node_modules');
    expect(fs.existsSync(path.join(modules, '@pulumi'))).toBe(false);
    expect(fs.existsSync(path.join(modules, '@kubernetes', 'client-node'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'cdk8s'))).toBe(true);
    // the operator bin names the missing optional peer instead of failing with a stack trace
    const operator = await run(path.join(modules, '.bin', 'vvp-operator'), ['--help'], { allowFailure: true });
    expect(operator.code).toBe(1);
    expect(operator.stderr).toMatch(
      /@kubernetes\/client-node package is missing .*npm install @kubernetes\/client-node/,
    );
    expect(operator.stderr).not.toMatch(/\n\s+at /);
    const total = await diskUsage(modules);
    const typescript = await diskUsage(path.join(modules, 'typescript'));
    const pulumiTotal = await diskUsage(path.join(pulumiApp, 'node_modules'));
    console.log(
      `cdk8s-only consumer node_modules: ${(total / 1e6).toFixed(1)} MB, ${((total - typescript) / 1e6).toFixed(1)} MB without typescript; ` +
        `Pulumi consumer: ${(pulumiTotal / 1e6).toFixed(1)} MB`,
    );
  });
});

describe('TypeScript consumers compile with the library typings checked (skipLibCheck: false)', () => {
  it.each(RESOLUTIONS)('moduleResolution %s: a Pulumi project and a cdk8s-only project', async (resolution) => {
    const [pulumiRes, cdk8sRes] = [
      await tsc(pulumiApp, `tsconfig.${resolution}.json`),
      await tsc(cdk8sApp, `tsconfig.${resolution}.json`),
    ];
    expect(pulumiRes.stdout + pulumiRes.stderr).toBe('');
    expect(cdk8sRes.stdout + cdk8sRes.stderr).toBe('');
    expect([pulumiRes.code, cdk8sRes.code]).toEqual([0, 0]);
  });

  it('only vvp-iac/pulumi-kubernetes needs the optional peer @pulumi/kubernetes', async () => {
    const res = await tsc(pulumiApp, 'tsconfig.needs-kubernetes.json');
    expect(res.code).not.toBe(0);
    expect(res.stdout).toMatch(/Cannot find module '@pulumi\/kubernetes'/);
  });
});

describe('the installed package at work', () => {
  it('examples/pulumi-ts: pulumi up creates a RUNNING deployment, pulumi destroy removes it', async () => {
    emu = await startTestEmulator(TOKEN);
    p = await createPulumi();
    const stack = await p.stack(pulumiApp, 'test', { inPlace: true });
    await stack.setConfig('vvp:baseUrl', emu.url);
    await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
    await stack.up();
    const out = await stack.outputs();
    const created = emu.store.getDeployment('default', 'orders-ts');
    expect(out).toMatchObject({ deploymentId: created.metadata.id, actualState: 'RUNNING' });
    expect(created.spec.template?.spec?.resources?.taskmanager).toEqual({ cpu: 2, memory: '4g' });
    expect(stack.rawState()).not.toContain(TOKEN);
    await stack.destroy();
    expect(emu.store.listDeployments('default').map((d) => d.metadata.name)).not.toContain('orders-ts');
  });

  it('a TypeScript cdk8s app synthesizes the operator chart and a validated VvpDeployment', async () => {
    const build = await run(
      process.execPath,
      [
        path.join(cdk8sApp, 'node_modules', 'typescript', 'bin', 'tsc'),
        'main.ts',
        '--module',
        'commonjs',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--strict',
      ],
      { cwd: cdk8sApp, allowFailure: true },
    );
    expect(build.stdout + build.stderr).toBe('');
    const res = await run(process.execPath, ['main.js'], { cwd: cdk8sApp });
    expect(res.stdout).toMatch(/synthesized; PUT-mandatory fields: \d+/);
    const docs = parseAllDocuments(fs.readFileSync(path.join(cdk8sApp, 'synth', 'jobs.k8s.yaml'), 'utf8'));
    const [cr] = docs.map((d) => d.toJS()).filter((o) => o.kind === 'VvpDeployment');
    expect(cr.metadata.labels['ververica.platform/owner']).toBe('platform-ops');
    expect(cr.spec).toMatchObject({ syncingMode: 'PATCH', savepointNonce: 2 });
    expect(fs.readdirSync(path.join(cdk8sApp, 'synth'))).toContain('operator.k8s.yaml');
  });
});
