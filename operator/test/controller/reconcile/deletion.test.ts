/** The deletion step: delete when inactive, DeletionBlocked while active, the finalizer released. */
import { applyCr, cond, KEY, NS, OWNER, seedSpec, setup } from './fixture';

describe('deletion', () => {
  async function createdIn(state: 'CANCELLED' | 'RUNNING') {
    const s = setup();
    const spec = seedSpec();
    spec.deployment.spec.state = state;
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    s.vvp.settle();
    await s.r.reconcile(KEY);
    s.vvp.calls.length = 0;
    return s;
  }

  it('deletes an inactive deployment from VVP and releases the finalizer', async () => {
    const { kube, vvp, r } = await createdIn('CANCELLED');
    kube.delete(NS, 'my-deployment');
    expect((await r.reconcile(KEY)).result).toBe('deleted');
    expect(vvp.deployments.size).toBe(0);
    expect(kube.get(NS, 'my-deployment')).toBeUndefined();
  });

  it('blocks deletion of an active deployment with DeletionBlocked and one Warning, then deletes once patched to CANCELLED', async () => {
    const { kube, vvp, r } = await createdIn('RUNNING');
    kube.delete(NS, 'my-deployment');
    await r.reconcile(KEY);
    expect(vvp.callsOf('deleteDeployment')).toEqual([]);
    expect(cond(kube, 'DeletionBlocked')).toMatchObject({ status: 'True', reason: 'DeploymentActive' });
    await r.reconcile(KEY);
    expect(kube.eventsFor('my-deployment').filter((e) => e.reason === 'DeletionBlocked')).toHaveLength(1);
    kube.patchSpec(NS, 'my-deployment', { deployment: { spec: { state: 'CANCELLED' } } });
    await r.reconcile(KEY);
    expect(vvp.callsOf('deleteDeployment')).toEqual([]);
    vvp.settle();
    expect((await r.reconcile(KEY)).result).toBe('deleted');
    expect(kube.get(NS, 'my-deployment')).toBeUndefined();
  });

  it('cancels a FAILED deployment whose desired state is still RUNNING before deleting it', async () => {
    const { kube, vvp, r } = await createdIn('RUNNING');
    vvp.setActual('default', 'my-deployment', 'FAILED');
    kube.delete(NS, 'my-deployment');
    await r.reconcile(KEY);
    expect(vvp.writes().map((w) => w.method)).toEqual(['patchDeployment', 'deleteDeployment']);
    // every write carries the ownership stamp
    expect(vvp.callsOf('patchDeployment')[0]!.args[2]).toEqual({
      metadata: {
        labels: { 'ververica.platform/owner': OWNER },
        annotations: { 'ververica.platform/cr-uid': expect.any(String) },
      },
      spec: { state: 'CANCELLED' },
    });
  });

  it('releases the finalizer without deleting anything when the deployment belongs to someone else', async () => {
    const s = setup();
    applyCr(s.kube, seedSpec());
    await s.vvp.createDeployment('default', {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
    await s.r.reconcile(KEY);
    s.kube.delete(NS, 'my-deployment');
    await s.r.reconcile(KEY);
    expect(s.vvp.deployments.size).toBe(1);
    expect(s.kube.get(NS, 'my-deployment')).toBeUndefined();
  });
});
