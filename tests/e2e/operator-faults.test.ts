/**
 * The operator process under faults it must ride out without a restart, against a real kube-apiserver + etcd
 * and the VVP emulator: the apiserver killed and restarted on the same etcd, VVP slow (2 s) and failing (every
 * fifth request 503) for 60 s, and the API token rotated in the Secret.
 */
import { MAX_ROUTE_FAULTS } from '../../emulator/src/faults';
import { waitFor } from '../harness/proc';
import { recordReliability } from '../hostile/report';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(600_000);

const NS = 'team-a';
let env: OperatorEnv;
let op: OperatorProcess;

const getCr = (name: string) => env.kube.kubectlJson<any>(['get', 'vvpdeployment', name, '-n', NS]);
const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);
const waitCr = (name: string, what: string, check: (cr: any) => boolean, timeoutMs = 90_000) =>
  waitFor(
    `${name}: ${what}`,
    async () => {
      const cr = await getCr(name);
      return check(cr) ? cr : undefined;
    },
    { timeoutMs, intervalMs: 500, onTimeout: () => op.daemon.log(3000) },
  );
const ready = (cr: any) =>
  condition(cr, 'Ready')?.status === 'True' && cr.status?.observedGeneration === cr.metadata.generation;
const deploymentsNamed = (name: string) =>
  env.emulator.store.listDeployments('default', undefined).filter((d) => d.metadata.name === name);
const patch = (name: string, spec: unknown) =>
  env.kube.kubectl(['patch', 'vvpdeployment', name, '-n', NS, '--type=merge', '-p', JSON.stringify({ spec })]);
const running = (name: string) => {
  const cr = seedDeployment(name);
  cr.spec.deployment.spec.state = 'RUNNING';
  return cr;
};
const row = (surface: string, cases: number, crashes: number, lostWrites: number) =>
  recordReliability({ surface, cases, crashes, serverErrors: 0, lostWrites, leaks: 0, unnamedRejections: 0 });

beforeAll(async () => {
  env = await startOperatorEnv();
  op = await env.startOperator(['--concurrency', '4']);
});
afterAll(async () => {
  await env?.stop();
});

describe('operator under faults', () => {
  it('kube-apiserver killed and restarted on the same etcd: watches recover, CRs converge, no operator restart', async () => {
    await env.apply(seedDeployment('kube-a'));
    await waitCr('kube-a', 'Ready', ready);
    const pid = op.daemon.pid;
    await env.kube.restartApiServer(3000);
    // a change of an existing CR and a new CR, both only visible through a watch re-established after the restart
    await patch('kube-a', { deployment: { spec: { template: { spec: { parallelism: 3 } } } } });
    await env.apply(seedDeployment('kube-b'));
    await waitCr(
      'kube-a',
      'parallelism 3 projected',
      (cr) => ready(cr) && deploymentsNamed('kube-a')[0]?.spec.template?.spec?.parallelism === 3,
    );
    await waitCr('kube-b', 'Ready', ready);
    expect(op.daemon.running()).toBe(true);
    expect(op.daemon.pid).toBe(pid);
    expect(deploymentsNamed('kube-a')).toHaveLength(1);
    expect(deploymentsNamed('kube-b')).toHaveLength(1);
    row('operator: kube-apiserver SIGKILL + restart', 1, op.daemon.running() ? 0 : 1, 0);
  });

  it('VVP with 2 s latency and every fifth request 503 for 60 s: converges, no duplicate deployment, no lost nonce', async () => {
    for (const name of ['slow-sp', 'slow-rs']) await env.apply(running(name));
    for (const name of ['slow-sp', 'slow-rs'])
      await waitCr(name, 'RUNNING', (cr) => ready(cr) && cr.status?.actualState === 'RUNNING');
    const jobsBefore = env.emulator.store.listJobs('default', deploymentsNamed('slow-rs')[0]!.metadata.id).length;
    const requestsBefore = env.emulator.requests.length;
    // deterministic 20 %: a cycle of four slow answers and one slow 503, each fault used once, in order; the
    // emulator holds at most MAX_ROUTE_FAULTS, far more than the ~250 requests 60 s of 2 s answers allow
    for (let i = 0; i < MAX_ROUTE_FAULTS; i++)
      env.emulator.faults.addRoute({
        path: '^/api/',
        latencyMs: 2000,
        times: 1,
        ...(i % 5 === 4 ? { status: 503, message: 'injected' } : {}),
      });
    const started = Date.now();
    await env.apply(running('slow-new'));
    await patch('slow-sp', { savepointNonce: 1 });
    await patch('slow-rs', { restartNonce: 1 });
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - started))));
    env.emulator.faults.clear();
    const during = env.emulator.requests.slice(requestsBefore);
    expect(during.filter((r) => r.status === 503).length).toBeGreaterThan(0);

    const sp = await waitCr(
      'slow-sp',
      'savepoint nonce 1 processed',
      (cr) => ready(cr) && cr.status?.lastProcessedSavepointNonce === 1,
      120_000,
    );
    const rs = await waitCr(
      'slow-rs',
      'restart nonce 1 processed',
      (cr) => ready(cr) && cr.status?.lastProcessedRestartNonce === 1,
      120_000,
    );
    await waitCr('slow-new', 'Ready', (cr) => ready(cr) && cr.status?.actualState === 'RUNNING', 120_000);
    const savepoints = env.emulator.store.listSavepoints('default', { deploymentId: sp.status.deploymentId });
    const jobs = env.emulator.store.listJobs('default', rs.status.deploymentId);
    const duplicates = ['slow-sp', 'slow-rs', 'slow-new'].filter((n) => deploymentsNamed(n).length !== 1).length;
    const lost = (savepoints.length === 1 ? 0 : 1) + (jobs.length === jobsBefore + 1 ? 0 : 1);
    row('operator: VVP 2 s latency + 20 % 503 for 60 s', 1, op.daemon.running() ? 0 : 1, duplicates + lost);
    expect(duplicates).toBe(0);
    expect(savepoints).toHaveLength(1);
    expect(sp.status.lastSavepoint).toMatchObject({ nonce: 1, savepointId: savepoints[0]!.metadata.id });
    expect(jobs).toHaveLength(jobsBefore + 1);
    expect(op.daemon.running()).toBe(true);
  });

  it('the API token rotated in the Secret is picked up without a restart', async () => {
    await env.apply(seedDeployment('rotate'));
    await waitCr('rotate', 'Ready', ready);
    const pid = op.daemon.pid;
    // the old token is revoked first (the worst order): the next reconcile fails Unauthorized
    env.emulator.store.deleteToken('default', 'operator');
    await patch('rotate', { deployment: { spec: { template: { spec: { parallelism: 2 } } } } });
    await waitCr('rotate', 'Unauthorized', (cr) => condition(cr, 'Consistent')?.reason === 'Unauthorized');
    // regenerated under the same name (VVP 3 regenerates a token in place: new secret, same token), so the vvp-3
    // profile's write protection (ADR 0009: the manager is the token name) still lets the operator write
    const next = env.emulator.createToken('default', 'editor', 'operator');
    await env.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'my-vvp-apikey', namespace: NS },
      stringData: { token: next },
    });
    // no CR change and no restart: the retry of the failed reconcile reads the new token
    await waitCr(
      'rotate',
      'converged with the new token',
      (cr) => ready(cr) && deploymentsNamed('rotate')[0]?.spec.template?.spec?.parallelism === 2,
      60_000,
    );
    expect(op.daemon.pid).toBe(pid);
    expect(op.daemon.running()).toBe(true);
    expect(op.daemon.log(200_000)).not.toContain(next);
    row('operator: API token rotated in the Secret', 1, op.daemon.running() ? 0 : 1, 0);
  });
});
