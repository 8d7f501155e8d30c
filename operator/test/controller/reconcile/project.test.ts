/** The projection step: when a spec change is projected, how, and what SpecAligned says. */
import { POLL_INTERVAL_MS } from '../../../src/controller/reconcile';
import { applyCr, cond, KEY, NS, putSpec, seedSpec, setup, status, vvpDeployment } from './fixture';

describe('projecting changes', () => {
  async function created(spec: unknown = seedSpec()) {
    const s = setup();
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    s.vvp.settle();
    s.vvp.calls.length = 0;
    return s;
  }

  it('projects a spec change with one PATCH of the CR fields only, and reports ConfigUpdated', async () => {
    const { kube, vvp, r } = await created();
    const spec = seedSpec();
    (spec.deployment.spec.template.spec as any).parallelism = 4;
    applyCr(kube, spec);
    await r.reconcile(KEY);
    expect(vvp.writes().map((w) => w.method)).toEqual(['patchDeployment']);
    const body = vvp.callsOf('patchDeployment')[0]!.args[2] as any;
    expect(body.spec.template.spec.resources).toBeUndefined();
    expect(body.spec.template.spec.parallelism).toBe(4);
    expect(status(kube).observedGeneration).toBe(2);
    expect(cond(kube, 'SpecAligned')).toMatchObject({ status: 'True', reason: 'ConfigUpdated' });
    expect(vvp.events.map((e) => e.spec.message)).toContain(
      'Kubernetes operator projected deployment config (mode=PATCH)',
    );
  });

  it('projects a change of a Flink configuration key that contains dots', async () => {
    const { kube, vvp, r } = await created();
    const spec = seedSpec();
    (spec.deployment.spec.template.spec as any).flinkConfiguration = { 'execution.checkpointing.interval': '10s' };
    applyCr(kube, spec);
    await r.reconcile(KEY);
    expect(vvpDeployment(vvp).spec.template?.spec?.flinkConfiguration).toEqual({
      'execution.checkpointing.interval': '10s',
    });
    expect(cond(kube, 'SpecAligned')!.message).toContain('spec.template.spec.flinkConfiguration');
  });

  it('never sends initFields again after creation', async () => {
    const { kube, vvp, r } = await created();
    const spec = seedSpec({ initFields: { spec: { template: { spec: { parallelism: 9 } } } } });
    spec.deployment.spec.state = 'RUNNING';
    applyCr(kube, spec);
    await r.reconcile(KEY);
    const body = vvp.callsOf('patchDeployment')[0]!.args[2] as any;
    expect(body.spec.template.spec.parallelism).toBeUndefined();
    expect(vvpDeployment(vvp).spec.template?.spec?.parallelism).toBeUndefined();
  });

  it('projects in PUT mode with GET + PUT carrying system annotations', async () => {
    const { kube, vvp, r } = await created(putSpec());
    vvpDeployment(vvp).metadata.annotations = {
      ...vvpDeployment(vvp).metadata.annotations,
      'com.dataartisans.appmanager.controller.deployment.spec.version': '3',
    };
    applyCr(kube, putSpec('RUNNING'));
    await r.reconcile(KEY);
    expect(vvp.calls.map((c) => c.method).filter((m) => m !== 'createEvent')).toEqual([
      'findDeployment',
      'putDeployment',
    ]);
    const body = vvp.callsOf('putDeployment')[0]!.args[2] as any;
    expect(body.metadata.annotations['com.dataartisans.appmanager.controller.deployment.spec.version']).toBe('3');
    expect(vvp.events.map((e) => e.spec.message)).toContain(
      'Kubernetes operator projected deployment config (mode=PUT) including state change: CANCELLED → RUNNING',
    );
  });

  it('a nonce-only change in PUT mode is no projection, even when VVP filled in defaults', async () => {
    const { kube, vvp, r } = await created({ ...putSpec(), savepointNonce: 1 });
    // VVP expands omitted fields with its defaults, so the full definitions differ from here on
    vvpDeployment(vvp).spec.maxJobCreationAttempts = 4;
    applyCr(kube, { ...putSpec(), savepointNonce: 2 });
    await r.reconcile(KEY);
    expect(vvp.callsOf('putDeployment')).toEqual([]);
    expect(cond(kube, 'SpecAligned')).toMatchObject({ status: 'True', reason: 'SpecUnchanged' });
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'False', reason: 'SavepointBlocked' });
    expect(status(kube).observedGeneration).toBe(kube.get(NS, 'my-deployment')!.metadata.generation);
    applyCr(kube, { ...putSpec(), savepointNonce: 2, restartNonce: 1 });
    applyCr(kube, { ...putSpec('RUNNING'), savepointNonce: 2, restartNonce: 1 });
    await r.reconcile(KEY);
    expect(vvp.callsOf('putDeployment')).toHaveLength(1);
  });

  it('reports SpecUnchanged and writes nothing to VVP when only metadata or status changed', async () => {
    const { kube, vvp, r } = await created();
    await r.reconcile(KEY);
    expect(cond(kube, 'SpecAligned')!.reason).toBe('ConfigUpdated');
    const cr = kube.get(NS, 'my-deployment')!;
    kube.apply({ ...cr, metadata: { ...cr.metadata, annotations: { note: 'status-only edit' } } });
    await r.reconcile(KEY);
    expect(vvp.writes()).toEqual([]);
    expect(cond(kube, 'SpecAligned')).toMatchObject({ status: 'True', reason: 'SpecUnchanged' });
  });

  it('writes nothing to VVP and nothing to the status on a steady-state resync', async () => {
    const { kube, vvp, r } = await created();
    await r.reconcile(KEY);
    const statusWrites = kube.callsOf('patchStatus').length;
    vvp.calls.length = 0;
    for (let i = 0; i < 3; i++) await r.reconcile(KEY);
    expect(vvp.writes()).toEqual([]);
    expect(kube.callsOf('patchStatus')).toHaveLength(statusWrites);
  });

  it('re-projects the desired state when VVP drifted', async () => {
    const { kube, vvp, r } = await created();
    vvpDeployment(vvp).spec.state = 'RUNNING';
    await r.reconcile(KEY);
    expect((vvp.callsOf('patchDeployment')[0]!.args[2] as any).spec.state).toBe('CANCELLED');
    expect(kube.eventsFor('my-deployment').map((e) => e.reason)).toContain('StateReprojected');
  });

  it('records ProjectionFailed with VVP message on a 4xx and does not retry the same generation', async () => {
    const { kube, vvp, r } = await created();
    vvp.fail({ method: 'patchDeployment', status: 400, message: 'Invalid spec.template.spec.parallelism' });
    const spec = seedSpec();
    (spec.deployment.spec.template.spec as any).parallelism = 4;
    applyCr(kube, spec);
    expect((await r.reconcile(KEY)).result).toBe('success');
    expect(cond(kube, 'SpecAligned')).toMatchObject({ status: 'False', reason: 'ProjectionFailed' });
    expect(cond(kube, 'SpecAligned')!.message).toContain('Invalid spec.template.spec.parallelism');
    await r.reconcile(KEY);
    expect(vvp.callsOf('patchDeployment')).toHaveLength(1);
  });

  it('reports VvpUnreachable and asks for a retry on 5xx', async () => {
    const { kube, vvp, r } = await created();
    vvp.fail({ method: 'findDeployment', status: 503, times: 1 });
    expect((await r.reconcile(KEY)).result).toBe('retry');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'VvpUnreachable' });
    expect((await r.reconcile(KEY)).result).toBe('success');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True', reason: 'DeploymentExists' });
  });

  it('reports DeploymentMissing when the deployment was deleted in VVP, and recreates it only on the next spec change', async () => {
    const { kube, vvp, r } = await created();
    vvp.deployments.clear();
    await r.reconcile(KEY);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'DeploymentMissing' });
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
    const spec = seedSpec();
    spec.deployment.spec.state = 'RUNNING';
    applyCr(kube, spec);
    await r.reconcile(KEY);
    expect(vvp.callsOf('createDeployment')).toHaveLength(1);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True' });
  });

  it('polls every 2 s while the actual state differs from the desired state', async () => {
    const { kube, r } = await created();
    const spec = seedSpec();
    spec.deployment.spec.state = 'RUNNING';
    applyCr(kube, spec);
    const result = await r.reconcile(KEY);
    expect(result.requeueAfterMs).toBe(POLL_INTERVAL_MS);
    expect(status(kube)).toMatchObject({ observedSpecState: 'RUNNING', actualState: 'CANCELLED' });
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'False', reason: 'Progressing' });
  });
});
