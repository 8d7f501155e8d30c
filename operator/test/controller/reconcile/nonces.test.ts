/** The nonce step: triggers, blocks, failures and what NonceAligned says. */
import { POLL_INTERVAL_MS } from '../../../src/controller/reconcile';
import { applyCr, cond, KEY, NS, seedSpec, setup, status } from './fixture';

describe('nonces', () => {
  async function running() {
    const s = setup();
    const spec = seedSpec();
    spec.deployment.spec.state = 'RUNNING';
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    s.vvp.settle();
    await s.r.reconcile(KEY);
    s.vvp.calls.length = 0;
    return { ...s, spec };
  }

  it('triggers a savepoint when the savepoint nonce changes while RUNNING, without a projection', async () => {
    const { kube, vvp, r } = await running();
    kube.patchSpec(NS, 'my-deployment', { savepointNonce: 1 });
    await r.reconcile(KEY);
    expect(vvp.callsOf('triggerSavepoint')).toHaveLength(1);
    expect(vvp.callsOf('patchDeployment')).toHaveLength(0);
    const s = status(kube);
    expect(s.lastProcessedSavepointNonce).toBe(1);
    expect(s.lastSavepoint).toMatchObject({ nonce: 1, state: 'STARTED', triggeredAt: '2026-01-01T00:00:00.000Z' });
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'True', reason: 'NoncesProcessed' });
    expect(vvp.events.map((e) => e.spec.message)).toContain('Kubernetes operator triggered savepoint');
  });

  it('follows the triggered savepoint until it is COMPLETED', async () => {
    const { kube, vvp, r } = await running();
    kube.patchSpec(NS, 'my-deployment', { savepointNonce: 1 });
    const first = await r.reconcile(KEY);
    expect(first.requeueAfterMs).toBe(POLL_INTERVAL_MS);
    const id = status(kube).lastSavepoint!.savepointId!;
    vvp.savepoints.get(id)!.status = { state: 'COMPLETED' };
    await r.reconcile(KEY);
    expect(status(kube).lastSavepoint!.state).toBe('COMPLETED');
  });

  it('triggers a restart through the restart-nonce template annotation', async () => {
    const { kube, vvp, r } = await running();
    kube.patchSpec(NS, 'my-deployment', { restartNonce: 5 });
    await r.reconcile(KEY);
    expect(vvp.callsOf('patchDeployment')[0]!.args[2]).toMatchObject({
      spec: { template: { metadata: { annotations: { 'ververica.platform/restart-nonce': '5' } } } },
    });
    expect(status(kube).lastProcessedRestartNonce).toBe(5);
    expect(vvp.events.map((e) => e.spec.message)).toContain('Kubernetes operator triggered job restart');
  });

  it('runs savepoint before restart when both change at once', async () => {
    const { kube, vvp, r } = await running();
    kube.patchSpec(NS, 'my-deployment', { restartNonce: 2, savepointNonce: 2 });
    await r.reconcile(KEY);
    expect(vvp.writes().map((w) => w.method)).toEqual(['triggerSavepoint', 'patchDeployment']);
  });

  it('blocks and consumes a nonce change while not RUNNING, with one Warning, and does not re-trigger on revert', async () => {
    const s = setup();
    applyCr(s.kube, seedSpec({ savepointNonce: 1 }));
    await s.r.reconcile(KEY);
    s.kube.patchSpec(NS, 'my-deployment', { savepointNonce: 2 });
    await s.r.reconcile(KEY);
    expect(s.vvp.callsOf('triggerSavepoint')).toEqual([]);
    expect(status(s.kube).lastProcessedSavepointNonce).toBe(2);
    expect(cond(s.kube, 'NonceAligned')).toMatchObject({ status: 'False', reason: 'SavepointBlocked' });
    expect(
      s.kube.eventsFor('my-deployment').filter((e) => e.reason === 'SavepointBlocked' && e.type === 'Warning'),
    ).toHaveLength(1);
    await s.r.reconcile(KEY);
    expect(s.kube.eventsFor('my-deployment').filter((e) => e.reason === 'SavepointBlocked')).toHaveLength(1);
    s.kube.patchSpec(NS, 'my-deployment', { savepointNonce: 1 });
    await s.r.reconcile(KEY);
    expect(s.kube.eventsFor('my-deployment').filter((e) => e.reason === 'SavepointBlocked')).toHaveLength(2);
    expect(s.vvp.callsOf('triggerSavepoint')).toEqual([]);
  });

  it('keeps a nonce unconsumed and retries when VVP fails with 5xx', async () => {
    const { kube, vvp, r } = await running();
    vvp.fail({ method: 'triggerSavepoint', status: 503, times: 1 });
    kube.patchSpec(NS, 'my-deployment', { savepointNonce: 1 });
    expect((await r.reconcile(KEY)).result).toBe('retry');
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'False', reason: 'NonceSubmissionFailed' });
    expect(status(kube).lastProcessedSavepointNonce).toBeUndefined();
    await r.reconcile(KEY);
    expect(vvp.callsOf('triggerSavepoint')).toHaveLength(2);
    expect(status(kube).lastProcessedSavepointNonce).toBe(1);
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'True' });
  });
});
