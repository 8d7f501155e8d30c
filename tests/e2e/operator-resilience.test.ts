/**
 * The operator process under faults, against a real kube-apiserver + etcd and the VVP emulator: malformed CRs
 * (the webhook is not registered here, as when it is bypassed), VVP answering 503, a SIGKILL between the VVP
 * create and the status write, and two replicas with leader election.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killGroup, waitFor } from '../harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(600_000);

const NS = 'team-a';
let env: OperatorEnv;

const getCr = (name: string) => env.kube.kubectlJson<any>(['get', 'vvpdeployment', name, '-n', NS]);
const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);
const waitCondition = (
  name: string,
  type: string,
  status: string,
  reason?: string,
  log?: OperatorProcess,
  timeoutMs = 60_000,
) =>
  waitFor(
    `${name} ${type}=${status}${reason ? `/${reason}` : ''}`,
    async () => {
      const c = condition(await getCr(name), type);
      return c?.status === status && (!reason || c.reason === reason) ? c : undefined;
    },
    { timeoutMs, intervalMs: 250, onTimeout: () => log?.daemon.log(3000) ?? '' },
  );
const deploymentsNamed = (name: string) =>
  env.emulator.store.listDeployments('default', undefined).filter((d) => d.metadata.name === name);

beforeAll(async () => {
  env = await startOperatorEnv();
});

afterAll(async () => {
  await env?.stop();
});

describe('operator resilience', () => {
  let op: OperatorProcess;

  it('a malformed CR never stops other CRs from converging', async () => {
    op = await env.startOperator(['--concurrency', '2']);
    const putWithoutFields = seedDeployment('put-missing');
    putWithoutFields.spec.syncingMode = 'PUT';
    delete putWithoutFields.spec.initFields;
    const badName = seedDeployment('bad-name');
    badName.spec.deployment.metadata.name = 'Not_A_Valid_Name';
    const conflict = seedDeployment('taken');
    env.emulator.store.createDeployment('default', {
      metadata: { name: 'taken' },
      spec: {
        deploymentTargetName: 'default',
        template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://x.jar' } } },
      },
    });
    for (const cr of [putWithoutFields, badName, conflict, seedDeployment('good')]) await env.apply(cr);
    await waitCondition('good', 'Ready', 'True', 'Converged', op);
    const put = await waitCondition('put-missing', 'SpecAligned', 'False', 'InvalidSpec', op);
    expect(put.message).toContain('upgradeStrategy.kind');
    expect((await waitCondition('bad-name', 'SpecAligned', 'False', 'InvalidSpec', op)).message).toContain(
      'Not_A_Valid_Name',
    );
    expect((await waitCondition('taken', 'Consistent', 'False', 'NameConflict', op)).message).toContain(
      'not managed by vvp-iac',
    );
    expect(op.daemon.running()).toBe(true);
    expect(deploymentsNamed('taken')[0]!.metadata.labels?.['ververica.platform/owner']).toBeUndefined();
  });

  it('VVP answering 503 for a while: VvpUnreachable, then the CR converges once VVP recovers', async () => {
    env.emulator.faults.addRoute({
      path: '^/api/v1/namespaces/default/deployments',
      status: 503,
      message: 'service unavailable',
    });
    await env.apply(seedDeployment('flaky'));
    const c = await waitCondition('flaky', 'Consistent', 'False', 'VvpUnreachable', op);
    expect(c.message).toContain('503');
    expect(deploymentsNamed('flaky')).toHaveLength(0);
    env.emulator.faults.clear();
    await waitCondition('flaky', 'Ready', 'True', 'Converged', op, 90_000);
    expect(deploymentsNamed('flaky')).toHaveLength(1);
  });

  it('killed (SIGKILL) between the VVP create and the status write, the restarted operator adopts: exactly one deployment', async () => {
    // hold the reconcile between create and status write: the VVP event it records right after the create is slow
    env.emulator.faults.addRoute({ method: 'POST', path: '/events$', latencyMs: 10_000, times: 1 });
    const creates = () =>
      env.emulator.writes(/\/deployments$/).filter((w) => w.method === 'POST' && w.status === 201).length;
    const before = creates();
    await env.apply(seedDeployment('crash'));
    await waitFor('the VVP create', async () => deploymentsNamed('crash').length === 1, {
      timeoutMs: 30_000,
      onTimeout: () => op.daemon.log(3000),
    });
    expect((await getCr('crash')).status?.deploymentId).toBeUndefined();
    killGroup(op.daemon.pid, 'SIGKILL');
    await op.daemon.exited;
    env.emulator.faults.clear();
    op = await env.startOperator();
    const ready = await waitCondition('crash', 'Ready', 'True', 'Converged', op);
    // the restarted operator converged the CR's current generation, not an older one
    expect(ready.observedGeneration).toBe((await getCr('crash')).metadata.generation);
    expect(deploymentsNamed('crash')).toHaveLength(1);
    expect(creates() - before).toBe(1);
    expect((await getCr('crash')).status.deploymentId).toBe(deploymentsNamed('crash')[0]!.metadata.id);
  });

  it('two replicas with --leader-election: exactly one leads; when it stops, the other takes over', async () => {
    await op.daemon.stop();
    const flags = ['--leader-election', '--lease-duration-seconds', '4', '--lease-retry-seconds', '1'];
    const a = await env.startOperator(flags, { name: 'replica-a' });
    const b = await env.startOperator(flags, { name: 'replica-b' });
    const leaders = async () => [await a.metric('vvp_operator_leader'), await b.metric('vvp_operator_leader')];
    await waitFor('one leader', async () => (await leaders()).reduce((x, y) => x + y, 0) === 1, { timeoutMs: 30_000 });
    // stays exactly one over several renew periods
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect((await leaders()).reduce((x, y) => x + y, 0)).toBe(1);
    }
    const [leader, follower] = (await a.metric('vvp_operator_leader')) === 1 ? [a, b] : [b, a];
    const lease = await env.kube.kubectlJson<any>(['get', 'lease', 'vvp-operator-my-operator', '-n', NS]);
    expect(lease.spec.holderIdentity).toBe(leader === a ? 'replica-a' : 'replica-b');
    await env.apply(seedDeployment('led-1'));
    await waitCondition('led-1', 'Ready', 'True', 'Converged', leader);
    expect(await follower.metric('vvp_operator_reconciles_total')).toBe(0);

    await leader.daemon.stop();
    await waitFor('the follower to lead', async () => (await follower.metric('vvp_operator_leader')) === 1, {
      timeoutMs: 30_000,
      onTimeout: () => follower.daemon.log(),
    });
    await env.apply(seedDeployment('led-2'));
    await waitCondition('led-2', 'Ready', 'True', 'Converged', follower);
    expect(deploymentsNamed('led-1')).toHaveLength(1);
    expect(deploymentsNamed('led-2')).toHaveLength(1);
  });

  it('in development mode (--webhook-self-signed) the apiserver accepts the generated certificate', async () => {
    const dev = await env.startOperator([], { name: 'dev', selfSigned: true });
    await env.registerWebhook(dev.webhookPort, fs.readFileSync(path.join(env.dir, 'dev-ca.pem'), 'utf8'));
    const unowned = seedDeployment('no-owner');
    delete (unowned.metadata as { labels?: unknown }).labels;
    const r = await env.kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(unowned), allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('denied the request');
    expect(r.stderr).toContain('ververica.platform/owner');
    await env.kube.kubectl(['delete', 'validatingwebhookconfiguration', 'vvp-operator-my-operator']);
  });
});
