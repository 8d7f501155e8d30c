/**
 * The cdk8s path end to end: examples/cdk8s-app synthesized by the cdk8s CLI, applied with kubectl to a real
 * kube-apiserver + etcd, with the operator (bin/vvp-operator.js) running under exactly the RBAC the VvpOperator chart
 * grants, its webhook called by the apiserver over TLS, and the VVP emulator behind it.
 * Needs the compiled package (`npm run build`) and the test binaries (scripts/tools.sh).
 */
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { errorsOf, type Issue } from '../../core/src/index';
import { renderIssue, VvpDeployment } from '../../sdk/src/cdk8s/index';
import { waitFor } from '../harness/proc';
import { INSTANCE_ID, startOperatorEnvironment, type OperatorEnvironment } from './cdk8s-support';

describe('cdk8s example applied to a real apiserver with the operator running', () => {
  let env: OperatorEnvironment;

  beforeAll(async () => {
    env = await startOperatorEnvironment();
    await env.kube.kubectl(['apply', '-f', path.join(env.manifests, '0001-deployments.k8s.yaml')]);
  }, 10 * 60_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  const operatorLog = () => env.operatorLog();

  it('the operator creates both deployments in VVP, the PATCH one with its initFields', async () => {
    const orders = await waitFor('deployment orders in VVP', () => env.vvp.findDeployment('default', 'orders'), {
      timeoutMs: 60_000,
      onTimeout: operatorLog,
    });
    const payments = await waitFor('deployment payments in VVP', () => env.vvp.findDeployment('default', 'payments'), {
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
          const obj = await env.kube.kubectlJson<{
            status?: { deploymentId?: string; conditions?: { type: string; status: string }[] };
          }>(['-n', 'team-a', 'get', 'vvpdeployment', name]);
          return obj.status?.conditions?.some((c) => c.type === 'Consistent' && c.status === 'True') ? obj : undefined;
        },
        { timeoutMs: 60_000, onTimeout: operatorLog },
      );
      const deployment = await env.vvp.findDeployment('default', name);
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
    const applied = await env.kube.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify(invalid.resource.toJson()),
      allowFailure: true,
    });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('admission webhook');
    for (const issue of errors) {
      expect(synthMessage).toContain(renderIssue(issue));
      expect(applied.stderr).toContain(renderIssue(issue));
    }
    expect(await env.vvp.findDeployment('default', 'Broken_Name')).toBeUndefined();
    expect(
      (await env.kube.kubectl(['-n', 'team-a', 'get', 'vvpdeployment', 'broken'], { allowFailure: true })).code,
    ).not.toBe(0);
  }, 60_000);

  it('a CR without the owner label is rejected by the second webhook entry', async () => {
    const chart = new Chart(Testing.app(), 'jobs', { namespace: 'team-a' });
    const cr = new VvpDeployment(chart, 'stray', {
      instanceId: INSTANCE_ID,
      deployment: { metadata: { name: 'stray' } },
    }).resource.toJson();
    delete cr.metadata.labels['ververica.platform/owner'];
    const applied = await env.kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cr), allowFailure: true });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('label ververica.platform/owner is required');
  }, 60_000);

  it('deleting an inactive CR deletes the deployment in VVP and releases the finalizer', async () => {
    await waitFor('deployment orders in VVP', () => env.vvp.findDeployment('default', 'orders'), {
      timeoutMs: 60_000,
      onTimeout: operatorLog,
    });
    await env.kube.kubectl(['-n', 'team-a', 'delete', 'vvpdeployment', 'orders', '--timeout=60s']);
    await waitFor(
      'deployment orders gone from VVP',
      async () => (await env.vvp.findDeployment('default', 'orders')) === undefined,
      {
        timeoutMs: 60_000,
        onTimeout: operatorLog,
      },
    );
    const left = await env.kube.kubectl(['-n', 'team-a', 'get', 'vvpdeployment', 'orders'], { allowFailure: true });
    expect(left.stderr).toContain('NotFound');
  }, 120_000);

  it('the operator never needed more than the chart grants (no forbidden answer in its log)', () => {
    expect(env.operator.log(1_000_000)).not.toMatch(/forbidden/i);
  });
});
