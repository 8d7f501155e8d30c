/**
 * The cdk8s path end to end: examples/cdk8s-app synthesized by the cdk8s CLI, applied with kubectl to a real
 * kube-apiserver + etcd, with the operator (bin/vvp-operator.js) running under exactly the RBAC the VvpOperator chart
 * grants, its webhook called by the apiserver over TLS, and the VVP emulator behind it.
 * Needs the compiled package (`npm run build`) and the test binaries (scripts/tools.sh).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { errorsOf, type Issue } from '../../core/src/index';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { renderIssue, VvpDeployment } from '../../sdk/src/cdk8s/index';
import { createVvpClient, type VvpClient } from '../../vvp-client/src/index';
import { makeServingCert, type ServingCert } from '../harness/certs';
import { startKube, type Kube } from '../harness/kube';
import { freePorts, startDaemon, waitFor, type Daemon } from '../harness/proc';
import { toolsBinDir } from '../harness/tools';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'cdk8s-app');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const INSTANCE_ID = 'vvp-operator-1';
// The ServiceAccount of the VvpOperator chart, as the apiserver names it; a static token stands in for its token.
const OPERATOR_USER = 'system:serviceaccount:vvp-operator:vvp-operator';

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('cdk8s example applied to a real apiserver with the operator running', () => {
  let kube: Kube;
  let emulator: EmulatorHandle;
  let vvp: VvpClient;
  let operator: Daemon;
  let certs: ServingCert;
  let work: string;
  const operatorToken = `operator-${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    if (
      !fs.existsSync(path.join(ROOT, 'dist', 'operator', 'src', 'main.js')) ||
      !fs.existsSync(path.join(ROOT, 'dist', 'sdk', 'src', 'cdk8s', 'index.js'))
    ) {
      throw new Error('dist/ is missing the operator or the cdk8s constructs: run `npm run build` before this test');
    }
    toolsBinDir();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-cdk8s-e2e-'));
    emulator = await startEmulator({ port: 0, transitionDelayMs: 50 });
    const vvpToken = emulator.createToken('default', 'editor');
    vvp = createVvpClient({ baseUrl: emulator.url, token: vvpToken });
    kube = await startKube({
      users: [
        {
          token: operatorToken,
          user: OPERATOR_USER,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:vvp-operator'],
        },
      ],
    });
    certs = makeServingCert({ dir: path.join(work, 'webhook-certs') });
    const [webhookPort, metricsPort] = await freePorts(2);

    // 1. Synthesize the example for an operator running outside the cluster.
    const out = path.join(work, 'manifests');
    const synth = spawnSync(process.execPath, [CDK8S, 'synth', '--no-check-upgrade', '--output', out], {
      cwd: EXAMPLE,
      encoding: 'utf8',
      env: {
        ...process.env,
        HOME: work,
        WEBHOOK_URL: `https://127.0.0.1:${webhookPort}`,
        WEBHOOK_CA_BUNDLE: certs.caBundle,
        VVP_URL: emulator.url,
      },
    });
    if (synth.status !== 0) throw new Error(`cdk8s synth failed:\n${synth.stdout}\n${synth.stderr}`);

    // 2. The operator chart: CRD, namespaces, RBAC, workload objects (inert here: no controllers), webhook.
    await kube.kubectl(['apply', '-f', path.join(out, '0000-operator.k8s.yaml')]);
    await kube.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/vvpdeployments.ververica.platform',
      '--timeout=60s',
    ]);
    await kube.kubectl([
      '-n',
      'team-a',
      'create',
      'secret',
      'generic',
      'vvp-apikey',
      `--from-literal=token=${vvpToken}`,
    ]);

    // 3. The operator, as the chart's ServiceAccount.
    operator = startDaemon(
      'vvp-operator',
      process.execPath,
      [
        path.join(ROOT, 'bin', 'vvp-operator.js'),
        '--instance-id',
        INSTANCE_ID,
        '--watched-namespaces',
        'team-a',
        '--vvp-url',
        emulator.url,
        '--kubeconfig',
        kube.kubeconfigFor(operatorToken, 'operator'),
        '--webhook-port',
        String(webhookPort),
        '--webhook-host',
        '127.0.0.1',
        '--webhook-cert',
        certs.certPath,
        '--webhook-key',
        certs.keyPath,
        '--metrics-port',
        String(metricsPort),
        '--metrics-host',
        '127.0.0.1',
        '--resync-seconds',
        '5',
      ],
      { logFile: path.join(work, 'operator.log'), cwd: work },
    );
    await waitFor(
      'operator /readyz',
      async () => operator.running() && (await get(`http://127.0.0.1:${metricsPort}/readyz`)) === 200,
      {
        timeoutMs: 60_000,
        onTimeout: () => `operator log:\n${operator.log()}`,
      },
    );

    // 4. The deployments chart.
    await kube.kubectl(['apply', '-f', path.join(out, '0001-deployments.k8s.yaml')]);
  }, 10 * 60_000);

  afterAll(async () => {
    await operator?.stop();
    await kube?.stop();
    await emulator?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const operatorLog = () => `operator log:\n${operator.log(8000)}`;

  it('the operator creates both deployments in VVP, the PATCH one with its initFields', async () => {
    const orders = await waitFor('deployment orders in VVP', () => vvp.findDeployment('default', 'orders'), {
      timeoutMs: 60_000,
      onTimeout: operatorLog,
    });
    const payments = await waitFor('deployment payments in VVP', () => vvp.findDeployment('default', 'payments'), {
      timeoutMs: 60_000,
      onTimeout: operatorLog,
    });
    expect(orders.spec.template?.spec?.resources).toEqual({
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    });
    expect(orders.spec.template?.spec?.artifact?.jarUri).toBe('s3://my-bucket/artifacts/orders.jar');
    expect(orders.spec.state).toBe('CANCELLED');
    expect(orders.metadata.labels?.['ververica.platform/owner']).toBe(INSTANCE_ID);
    expect(payments.spec.template?.spec?.parallelism).toBe(2);
    expect(payments.spec.upgradeStrategy?.kind).toBe('STATEFUL');
    expect(payments.metadata.labels).toMatchObject({ team: 'a', 'ververica.platform/owner': INSTANCE_ID });
  }, 90_000);

  it('the CRs report the VVP deployment id and Consistent=True, written with the chart RBAC only', async () => {
    for (const name of ['orders', 'payments']) {
      const cr = await waitFor(
        `vvpdeployment ${name} status`,
        async () => {
          const obj = await kube.kubectlJson<{
            status?: { deploymentId?: string; conditions?: { type: string; status: string }[] };
          }>(['-n', 'team-a', 'get', 'vvpdeployment', name]);
          return obj.status?.conditions?.some((c) => c.type === 'Consistent' && c.status === 'True') ? obj : undefined;
        },
        { timeoutMs: 60_000, onTimeout: operatorLog },
      );
      const deployment = await vvp.findDeployment('default', name);
      expect(cr.status?.deploymentId).toBe(deployment?.metadata.id);
    }
  }, 120_000);

  it('an invalid construct fails cdk8s synth with the same problems the webhook rejects it with', async () => {
    const chart = new Chart(Testing.app(), 'jobs', { namespace: 'team-a' });
    // Problems only core validation sees (the CRD schema would catch a non-integer nonce before the webhook).
    const invalid = new VvpDeployment(chart, 'broken', {
      metadata: { name: 'broken' },
      instanceId: INSTANCE_ID,
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'Broken_Name' }, spec: { deploymentTargetName: 'default' } },
      initFields: { spec: { template: { spec: { parallelism: 1 } } } },
    });
    const errors: Issue[] = errorsOf(invalid.issues());
    expect(errors.length).toBeGreaterThan(3);

    let synthMessage = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      synthMessage = (e as Error).message;
    }
    // What synth would have written, applied as a user would (kubectl), bypassing the construct's validation.
    const applied = await kube.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify(invalid.resource.toJson()),
      allowFailure: true,
    });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('admission webhook');
    for (const issue of errors) {
      expect(synthMessage).toContain(renderIssue(issue));
      expect(applied.stderr).toContain(renderIssue(issue));
    }
    expect(await vvp.findDeployment('default', 'Broken_Name')).toBeUndefined();
    expect(
      (await kube.kubectl(['-n', 'team-a', 'get', 'vvpdeployment', 'broken'], { allowFailure: true })).code,
    ).not.toBe(0);
  }, 60_000);

  it('a CR without the owner label is rejected by the second webhook entry', async () => {
    const chart = new Chart(Testing.app(), 'jobs', { namespace: 'team-a' });
    const cr = new VvpDeployment(chart, 'stray', {
      instanceId: INSTANCE_ID,
      deployment: { metadata: { name: 'stray' } },
    }).resource.toJson();
    delete cr.metadata.labels['ververica.platform/owner'];
    const applied = await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cr), allowFailure: true });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('label ververica.platform/owner is required');
  }, 60_000);

  it('deleting an inactive CR deletes the deployment in VVP and releases the finalizer', async () => {
    await waitFor('deployment orders in VVP', () => vvp.findDeployment('default', 'orders'), {
      timeoutMs: 60_000,
      onTimeout: operatorLog,
    });
    await kube.kubectl(['-n', 'team-a', 'delete', 'vvpdeployment', 'orders', '--timeout=60s']);
    await waitFor(
      'deployment orders gone from VVP',
      async () => (await vvp.findDeployment('default', 'orders')) === undefined,
      {
        timeoutMs: 60_000,
        onTimeout: operatorLog,
      },
    );
    const left = await kube.kubectl(['-n', 'team-a', 'get', 'vvpdeployment', 'orders'], { allowFailure: true });
    expect(left.stderr).toContain('NotFound');
  }, 120_000);

  it('the operator never needed more than the chart grants (no forbidden answer in its log)', () => {
    expect(operator.log(1_000_000)).not.toMatch(/forbidden/i);
  });
});
