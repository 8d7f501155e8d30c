/**
 * examples/cdk8s-app run the way a user runs it: the installed cdk8s CLI (`cdk8s synth`) executes `node main.js`,
 * which loads `vvp-iac/cdk8s` through the package's self-reference. Needs the compiled package (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { errorsOf, validate, type Issue } from '../../core/src/index';
import { renderIssue } from '../../sdk/src/cdk8s/vvp-deployment';
import { ensureBuilt } from '../harness/dist';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'cdk8s-app');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: any;
};

/** Runs `cdk8s synth` in `cwd` into a fresh directory; offline (no upgrade check), HOME kept out of the user's. */
function cdk8sSynth(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-cdk8s-synth-'));
  const res = spawnSync(process.execPath, [CDK8S, 'synth', '--no-check-upgrade', '--output', out], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: out, ...env },
    timeout: 120_000,
  });
  const files = fs.existsSync(out)
    ? fs
        .readdirSync(out)
        .filter((f) => f.endsWith('.k8s.yaml'))
        .sort()
    : [];
  const docs = Object.fromEntries(
    files.map((f) => [
      f,
      YAML.parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJS() as K8sObject),
    ]),
  );
  fs.rmSync(out, { recursive: true, force: true });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, files, docs };
}

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);

describe('examples/cdk8s-app with the cdk8s CLI', () => {
  const synth = () => cdk8sSynth(EXAMPLE);
  let result: ReturnType<typeof cdk8sSynth>;
  beforeAll(() => {
    result = synth();
  }, 120_000);

  it('cdk8s synth succeeds and writes the operator chart before the deployments chart', () => {
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.files).toEqual(['0000-operator.k8s.yaml', '0001-deployments.k8s.yaml']);
  });

  it('the deployments chart holds a PATCH CR with initFields and a PUT CR, both valid for the operator instance', () => {
    const [orders, payments] = result.docs['0001-deployments.k8s.yaml'];
    const webhook = result.docs['0000-operator.k8s.yaml'].find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
    const instanceId = webhook.webhooks[0].objectSelector.matchLabels['ververica.platform/owner'];
    expect(instanceId).toBe('vvp-operator-1');

    expect(orders.metadata).toMatchObject({
      name: 'orders',
      namespace: 'team-a',
      labels: { 'ververica.platform/owner': instanceId },
    });
    expect(orders.metadata.annotations).toEqual({ apikeySecretName: 'vvp-apikey' });
    expect(orders.spec.syncingMode).toBe('PATCH');
    expect(orders.spec.deployment.spec.state).toBe('CANCELLED');
    expect(orders.spec.initFields.spec.template.spec.resources).toEqual({
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    });
    expect(orders.spec.initFields.spec.template.spec.logging.log4jLoggers).toEqual({ '': 'INFO' });

    expect(payments.metadata).toMatchObject({ name: 'payments', namespace: 'team-a' });
    expect(payments.spec.syncingMode).toBe('PUT');
    expect(payments.spec.savepointNonce).toBe(1);
    expect(payments.spec).not.toHaveProperty('initFields');

    for (const cr of [orders, payments])
      expect(errorsOf(validate({ metadata: cr.metadata, spec: cr.spec }, undefined, { instanceId }))).toEqual([]);
  });

  it('the operator chart watches the namespace of the CRs and carries the generated CRD', () => {
    const operator = result.docs['0000-operator.k8s.yaml'];
    const crd = operator.find((o) => o.kind === 'CustomResourceDefinition');
    expect(crd).toEqual(YAML.parse(fs.readFileSync(path.join(ROOT, 'crds', 'vvpdeployments.yaml'), 'utf8')));
    const args: string[] = operator.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].args;
    expect(args[args.indexOf('--watched-namespaces') + 1]).toBe('team-a');
    expect(operator.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([
      'vvp-operator',
      'team-a',
    ]);
  });

  it('the synthesized manifests match the snapshot (CRD excluded: it is generated from schema.json)', () => {
    const withoutCrd = Object.fromEntries(
      Object.entries(result.docs).map(([file, objs]) => [
        file,
        objs.filter((o) => o.kind !== 'CustomResourceDefinition'),
      ]),
    );
    expect(withoutCrd).toMatchSnapshot();
  });

  it('WEBHOOK_URL and WEBHOOK_CA_BUNDLE point the webhook at an operator running outside the cluster', () => {
    const local = cdk8sSynth(EXAMPLE, { WEBHOOK_URL: 'https://127.0.0.1:9443', WEBHOOK_CA_BUNDLE: 'Q0E=' });
    expect(local.status).toBe(0);
    const webhook = local.docs['0000-operator.k8s.yaml'].find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
    expect(webhook.webhooks.map((w: { clientConfig: unknown }) => w.clientConfig)).toEqual([
      { url: 'https://127.0.0.1:9443/validate-vvpdeployment', caBundle: 'Q0E=' },
      { url: 'https://127.0.0.1:9443/validate-vvpdeployment', caBundle: 'Q0E=' },
    ]);
    expect(local.docs['0000-operator.k8s.yaml'].some((o) => o.kind === 'Certificate')).toBe(false);
  }, 120_000);
});

describe('an invalid construct with the cdk8s CLI', () => {
  it('cdk8s synth fails, lists every problem with its path, and writes no manifests', () => {
    // Inside the repository (.cache/ is git-ignored), so that `vvp-iac/cdk8s` resolves through the package self-reference.
    fs.mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, '.cache', 'cdk8s-invalid-'));
    try {
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');
      fs.writeFileSync(
        path.join(dir, 'main.js'),
        `const { App, Chart } = require('cdk8s');
const { VvpDeployment } = require('vvp-iac/cdk8s');
const app = new App();
const chart = new Chart(app, 'jobs', { namespace: 'team-a' });
new VvpDeployment(chart, 'orders', { instanceId: 'op-1', syncingMode: 'PUT', deployment: { metadata: { name: 'orders' } }, restartNonce: 1.5 });
app.synth();
`,
      );
      const res = cdk8sSynth(dir);
      expect(res.status).not.toBe(0);
      expect(res.files).toEqual([]);
      const cr = {
        metadata: { name: 'orders', namespace: 'team-a', labels: { 'ververica.platform/owner': 'op-1' } },
        spec: {
          syncingMode: 'PUT',
          deployment: { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'CANCELLED' } },
          restartNonce: 1.5,
        },
      };
      const errors: Issue[] = errorsOf(validate(cr, undefined, { instanceId: 'op-1' }));
      expect(errors.length).toBeGreaterThan(5);
      expect(res.stderr).toContain('Validation failed with the following errors:');
      for (const e of errors) expect(res.stderr).toContain(`[jobs/orders] ${renderIssue(e)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
