/** Strict VVPs (ADR 0011) in the reconcile: fields VVP did not keep, Autopilot scaling, ParallelismAligned. */
import { AutopilotModes } from '../../../../core/src/autopilot';
import { applyCr, cond, KEY, seedSpec, setup, status, vvpDeployment } from './fixture';

const ACTIVE = AutopilotModes.ACTIVE;
const warningsOf = (s: ReturnType<typeof setup>, reason: string) =>
  s.kube.eventsFor('my-deployment').filter((e) => e.type === 'Warning' && e.reason === reason);

function typoSpec(value = 2) {
  const spec = seedSpec();
  (spec.deployment.spec.template.spec as any).paralellism = value;
  return spec;
}

describe('fields VVP did not keep', () => {
  it('are recorded in status, said once (Warning FieldNotKept and SpecAligned), and cause no re-projection', async () => {
    const s = setup();
    s.vvp.dropPaths = [['spec', 'template', 'spec', 'paralellism']];
    applyCr(s.kube, typoSpec());
    await s.r.reconcile(KEY);
    const note = 'VVP did not keep field spec.template.spec.paralellism: check its spelling and the VVP version';
    expect(status(s.kube).fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
    expect(warningsOf(s, 'FieldNotKept').map((e) => e.message)).toEqual([note]);
    expect(cond(s.kube, 'SpecAligned')).toMatchObject({ status: 'True' });
    expect(cond(s.kube, 'SpecAligned')!.message).toContain(note);
    s.vvp.calls.length = 0;
    await s.r.reconcile(KEY);
    // an edit of the field VVP does not keep changes nothing VVP holds: recorded, not projected
    applyCr(s.kube, typoSpec(3));
    await s.r.reconcile(KEY);
    expect(s.vvp.writes()).toEqual([]);
    expect(status(s.kube).observedGeneration).toBe(2);
    // a real edit projects; the same set is not said again
    const spec = typoSpec(3);
    (spec.deployment.spec as any).maxJobCreationAttempts = 3;
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    expect(s.vvp.writes().map((w) => w.method)).toEqual(['patchDeployment']);
    expect(warningsOf(s, 'FieldNotKept')).toHaveLength(1);
    expect(status(s.kube).fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
  });

  it('the set is cleared once a write keeps everything', async () => {
    const s = setup();
    s.vvp.dropPaths = [['spec', 'template', 'spec', 'paralellism']];
    applyCr(s.kube, typoSpec());
    await s.r.reconcile(KEY);
    s.vvp.dropPaths = [];
    const spec = seedSpec();
    (spec.deployment.spec as any).maxJobCreationAttempts = 3;
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    expect(status(s.kube).fieldsNotKept).toBeUndefined();
  });
});

describe('Autopilot', () => {
  async function running(parallelism = 2) {
    const s = setup();
    const spec = seedSpec();
    spec.deployment.spec.state = 'RUNNING';
    (spec.deployment.spec.template.spec as any).parallelism = parallelism;
    applyCr(s.kube, spec);
    await s.r.reconcile(KEY);
    s.vvp.settle();
    await s.r.reconcile(KEY);
    s.vvp.calls.length = 0;
    return { ...s, id: vvpDeployment(s.vvp).metadata.id, spec };
  }
  const autopilot = (s: { vvp: any; id: string }, facts: object) =>
    (s.vvp.autopilot as Map<string, unknown>).set(s.id, { mode: ACTIVE, ...facts });

  it('while scaling: no state re-projection, SpecAligned=False/StateProjectionSuppressedAutopilot, nonces wait', async () => {
    const s = await running();
    autopilot(s, { scalingInProgress: true });
    vvpDeployment(s.vvp).spec.state = 'CANCELLED';
    s.vvp.setActual('default', 'my-deployment', 'CANCELLED');
    const result = await s.r.reconcile(KEY);
    expect(s.vvp.writes()).toEqual([]);
    expect(cond(s.kube, 'SpecAligned')).toMatchObject({
      status: 'False',
      reason: 'StateProjectionSuppressedAutopilot',
    });
    expect(result.requeueAfterMs).toBeDefined();
    // a nonce changed during the scaling is neither run nor consumed
    applyCr(s.kube, { ...s.spec, savepointNonce: 1 });
    await s.r.reconcile(KEY);
    expect(s.vvp.writes()).toEqual([]);
    expect(status(s.kube).lastProcessedSavepointNonce).toBeUndefined();
    // the scaling ends: VVP is RUNNING again; the nonce runs, SpecAligned is True again
    autopilot(s, { scalingInProgress: false, runtimeParallelism: 3 });
    vvpDeployment(s.vvp).spec.state = 'RUNNING';
    s.vvp.setActual('default', 'my-deployment', 'RUNNING');
    await s.r.reconcile(KEY);
    expect(s.vvp.writes().map((w) => w.method)).toEqual(['triggerSavepoint']);
    expect(cond(s.kube, 'SpecAligned')).toMatchObject({ status: 'True' });
  });

  it('ACTIVE: a drifted state is re-projected with the fields Autopilot owns left at its values', async () => {
    const s = await running();
    autopilot(s, { scalingInProgress: false });
    vvpDeployment(s.vvp).spec.state = 'CANCELLED';
    (vvpDeployment(s.vvp).spec.template!.spec as any).parallelism = 3;
    await s.r.reconcile(KEY);
    const body = s.vvp.callsOf('patchDeployment')[0]!.args[2] as any;
    expect(body.spec.state).toBe('RUNNING');
    expect(body.spec.template.spec.parallelism).toBe(3);
  });

  it('without Autopilot a drifted state is re-projected as the CR says', async () => {
    const s = await running();
    vvpDeployment(s.vvp).spec.state = 'CANCELLED';
    (vvpDeployment(s.vvp).spec.template!.spec as any).parallelism = 3;
    await s.r.reconcile(KEY);
    expect((s.vvp.callsOf('patchDeployment')[0]!.args[2] as any).spec.template.spec.parallelism).toBe(2);
  });

  it('ParallelismAligned: read on resync only, set while ACTIVE, removed otherwise', async () => {
    const s = await running(2);
    autopilot(s, { scalingInProgress: false, runtimeParallelism: 3 });
    await s.r.reconcile(KEY);
    expect(s.vvp.callsOf('getAutopilotStatus')).toEqual([]);
    expect(cond(s.kube, 'ParallelismAligned')).toBeUndefined();
    await s.r.reconcile(KEY, undefined, { resync: true });
    expect(s.vvp.callsOf('getAutopilotStatus')).toHaveLength(1);
    expect(cond(s.kube, 'ParallelismAligned')).toMatchObject({ status: 'False', reason: 'AutopilotOverride' });
    expect(cond(s.kube, 'Healthy')).toMatchObject({ status: 'True' });
    autopilot(s, { scalingInProgress: false, runtimeParallelism: 2 });
    await s.r.reconcile(KEY, undefined, { resync: true });
    expect(cond(s.kube, 'ParallelismAligned')).toMatchObject({ status: 'True', reason: 'RuntimeParallelismMatches' });
    autopilot(s, { mode: AutopilotModes.MONITORING, runtimeParallelism: 2 });
    await s.r.reconcile(KEY, undefined, { resync: true });
    expect(cond(s.kube, 'ParallelismAligned')).toBeUndefined();
  });

  it('a user’s state change reads no Autopilot status', async () => {
    const s = await running();
    applyCr(s.kube, {
      ...s.spec,
      deployment: { ...s.spec.deployment, spec: { ...s.spec.deployment.spec, state: 'CANCELLED' } },
    });
    await s.r.reconcile(KEY);
    expect(s.vvp.callsOf('getAutopilotStatus')).toEqual([]);
    expect(s.vvp.writes().map((w) => w.method)).toEqual(['patchDeployment']);
  });
});
