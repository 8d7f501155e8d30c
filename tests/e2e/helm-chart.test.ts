/**
 * The Helm chart deploy/helm/vvp-operator (generated from the VvpOperator construct) with a real helm binary
 * (tools/helm, built by scripts/tools-gitops.sh): `helm lint`, `helm template` equal to the construct's synthesis for
 * the same values, the values checks, and `helm install` / `helm upgrade` / `helm uninstall` against a real
 * kube-apiserver + etcd (tests/harness). No cert-manager runs there, so the installs use a provided Secret + caBundle.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { loadCrd, VvpOperator } from '../../sdk/src/cdk8s/vvp-operator';
import {
  defaultHelmValues,
  operatorPropsForValues,
  type VvpOperatorHelmValues,
} from '../../sdk/src/cdk8s/vvp-operator-helm';
import { startKube, type Kube } from '../harness/kube';
import { run, type RunResult } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';
import { gitopsTool, registerCertManagerKinds } from './gitops-tools';

jest.setTimeout(10 * 60_000);

const CHART = path.join(REPO_ROOT, 'deploy', 'helm', 'vvp-operator');
const PACKAGE_VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-helm-'));
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: path.join(tmp, 'cache'),
  HELM_CONFIG_HOME: path.join(tmp, 'config'),
  HELM_DATA_HOME: path.join(tmp, 'data'),
};
const helm = (args: string[], allowFailure = false): Promise<RunResult> =>
  run(gitopsTool('helm'), args, { env: helmEnv, allowFailure, timeoutMs: 120_000 });

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objs: Obj[]) => [...objs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
const docs = (text: string) =>
  YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null);

type Overrides = { [K in keyof VvpOperatorHelmValues]?: unknown };
function merge<T>(base: T, over: unknown): T {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return (over ?? base) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}
function valuesFile(name: string, overrides: Overrides): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify(overrides));
  return file;
}

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const SECRET_MODE: Overrides = { webhook: { certManager: { enabled: false }, caBundle: CA, certSecretName: 'op-tls' } };

const CASES: [string, Overrides][] = [
  ['the defaults (cert-manager self-signed Issuer, one replica)', {}],
  [
    'leader election, two replicas, two watched namespaces created, resources and image tag',
    {
      instanceId: 'team-ops',
      watchedNamespaces: ['team-a', 'team-b'],
      createWatchedNamespaces: true,
      leaderElection: { enabled: true },
      replicas: 2,
      image: { repository: 'registry.example/vvp-operator', tag: '9.9.9', pullPolicy: 'Always' },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      vvpUrl: 'https://vvp.example:8443',
    },
  ],
  ['a provided Secret and caBundle instead of cert-manager', SECRET_MODE],
  [
    'a cert-manager ClusterIssuer',
    { webhook: { certManager: { issuerName: 'corp-ca', issuerKind: 'ClusterIssuer' }, timeoutSeconds: 5 } },
  ],
  [
    'the release namespace among the watched ones',
    { watchedNamespaces: ['ops', 'team-a'], createWatchedNamespaces: true },
  ],
];

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the vvp-operator Helm chart', () => {
  it('helm lint passes with the defaults, a provided Secret and leader election', async () => {
    const lint = await helm(['lint', CHART, '--strict']);
    expect(lint.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    const other = await helm([
      ...['lint', CHART, '--strict', '-f', valuesFile('lint', SECRET_MODE)],
      ...['--set', 'leaderElection.enabled=true,replicas=3'],
    ]);
    expect(other.stdout).toContain('0 chart(s) failed');
  });

  it.each(CASES)('helm template equals the VvpOperator construct for %s', async (name, overrides) => {
    const values = merge(defaultHelmValues(), overrides);
    const rendered = await helm([
      'template',
      'op',
      CHART,
      '-n',
      'ops',
      '-f',
      valuesFile(name.replace(/\W+/g, '-'), overrides),
    ]);
    const expected = Testing.synth(
      new VvpOperator(Testing.app(), 'op', operatorPropsForValues(values, 'ops', PACKAGE_VERSION)),
    ) as Obj[];
    expect(sorted(docs(rendered.stdout))).toEqual(sorted(expected));
  });

  it('helm template --include-crds renders the CRD the construct emits', async () => {
    const rendered = docs((await helm(['template', 'op', CHART, '-n', 'ops', '--include-crds'])).stdout);
    expect(rendered.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([loadCrd()]);
  });

  it.each([
    [['--set', 'instanceId=bad id!'], 'instanceId'],
    [['--set-json', 'watchedNamespaces=[]'], 'watchedNamespaces'],
    [['--set', 'vvpUrl=vvp.local'], 'vvpUrl'],
    [['--set', 'replicas=2'], 'replicas > 1 needs leaderElection.enabled=true'],
    [['--set', 'webhook.certManager.enabled=false'], 'webhook.caBundle is empty'],
  ])('helm template %j is rejected naming %s', async (args, field) => {
    const res = await helm(['template', 'op', CHART, '-n', 'ops', ...args], true);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(field);
  });

  describe('against a real apiserver: the commands of docs/operator.md', () => {
    let kube: Kube;
    const kc = () => ['--kubeconfig', kube.kubeconfig];
    const chart = 'deploy/helm/vvp-operator';
    const inRepo = (args: string[]) => run(gitopsTool('helm'), [...args, ...kc()], { env: helmEnv, cwd: REPO_ROOT });

    beforeAll(async () => {
      kube = await startKube();
      await registerCertManagerKinds(kube);
    });
    afterAll(async () => {
      await kube?.stop();
    });

    it('helm install creates the CRD, the watched namespaces and every object of the chart', async () => {
      const res = await inRepo([
        ...['install', 'vvp-operator', chart, '-n', 'vvp-operator', '--create-namespace'],
        ...['--set', 'instanceId=my-operator', '--set', 'watchedNamespaces={team-a,team-b}'],
        ...['--set', 'createWatchedNamespaces=true', '--set', 'vvpUrl=http://vvp-ververica-platform.vvp.svc:8080'],
        ...['--set', 'image.repository=registry.example/vvp-operator'],
      ]);
      expect(res.stdout).toContain('STATUS: deployed');
      await kube.kubectl(['wait', '--for=condition=Established', 'crd/vvpdeployments.ververica.platform']);
      const dep = await kube.kubectlJson(['-n', 'vvp-operator', 'get', 'deployment', 'vvp-operator']);
      expect(dep.spec.replicas).toBe(1);
      expect(dep.spec.template.spec.containers[0].image).toBe('registry.example/vvp-operator:0.1.0');
      expect(dep.spec.template.spec.containers[0].args).toEqual(
        expect.arrayContaining(['my-operator', 'team-a,team-b', 'http://vvp-ververica-platform.vvp.svc:8080']),
      );
      const hook = await kube.kubectlJson(['get', 'validatingwebhookconfiguration', 'vvp-operator-my-operator']);
      expect(hook.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('vvp-operator/vvp-operator-webhook');
      await kube.kubectl(['-n', 'vvp-operator', 'get', 'certificate', 'vvp-operator-webhook']);
      for (const ns of ['team-a', 'team-b']) {
        const binding = await kube.kubectlJson(['-n', ns, 'get', 'rolebinding', 'vvp-operator-my-operator']);
        expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'vvp-operator-my-operator' });
      }
    });

    it('the CRD apply, then helm upgrade --reuse-values to leader election with two replicas', async () => {
      // Helm never upgrades crds/: the documented step before an upgrade.
      const crd = await kube.kubectl(['apply', '--server-side', '-f', path.join(CHART, 'crds', 'vvpdeployments.yaml')]);
      expect(crd.stdout).toContain('serverside-applied');
      const res = await inRepo([
        ...['upgrade', 'vvp-operator', chart, '-n', 'vvp-operator', '--reuse-values'],
        ...['--set', 'leaderElection.enabled=true', '--set', 'replicas=2'],
      ]);
      expect(res.stdout).toContain('has been upgraded');
      const dep = await kube.kubectlJson(['-n', 'vvp-operator', 'get', 'deployment', 'vvp-operator']);
      expect(dep.spec.replicas).toBe(2);
      expect(dep.spec.strategy.type).toBe('RollingUpdate');
      expect(dep.spec.template.spec.containers[0].args).toEqual(
        expect.arrayContaining(['--leader-election', 'team-a,team-b']),
      );
      await kube.kubectl(['-n', 'vvp-operator', 'get', 'role', 'vvp-operator-leader-election']);
      await kube.kubectl(['-n', 'vvp-operator', 'get', 'rolebinding', 'vvp-operator-leader-election']);
      const history = await inRepo(['history', 'vvp-operator', '-n', 'vvp-operator']);
      expect(history.stdout).toMatch(/\n2\s.*deployed/);
    });

    it('helm uninstall removes the release objects and keeps the CRD (and so the CRs)', async () => {
      await inRepo(['uninstall', 'vvp-operator', '-n', 'vvp-operator']);
      const gone = await kube.kubectl(['-n', 'vvp-operator', 'get', 'deployment', 'vvp-operator'], {
        allowFailure: true,
      });
      expect(gone.stderr).toContain('NotFound');
      const hook = await kube.kubectl(['get', 'validatingwebhookconfiguration', 'vvp-operator-my-operator'], {
        allowFailure: true,
      });
      expect(hook.stderr).toContain('NotFound');
      await kube.kubectl(['get', 'crd', 'vvpdeployments.ververica.platform']);
    });
  });
});
