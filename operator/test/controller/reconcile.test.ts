import { putDefinition, seedSpec as seed } from '../../../tests/fixtures/seed';
import { FakeVvpClient } from '../../../vvp-client/src/testing';
import { createReconciler, POLL_INTERVAL_MS, type Reconciler } from '../../src/controller/reconcile';
import { createEventRecorder } from '../../src/controller/recorder';
import { FakeKube } from '../../src/kube/testing';
import type { VvpDeploymentResource } from '../../src/kube/types';
import { silentLogger } from '../../src/runtime/logger';

const NS = 'team-a';
const KEY = `${NS}/my-deployment`;
const OWNER = 'my-operator';

const seedSpec = (over: Record<string, unknown> = {}) => seed('my-deployment', over);
const putSpec = (state = 'CANCELLED') => ({ syncingMode: 'PUT', deployment: putDefinition('my-deployment', state) });

interface Setup {
  kube: FakeKube;
  vvp: FakeVvpClient;
  r: Reconciler;
  tokens: (string | undefined)[];
  clock: { t: number };
}

function setup(): Setup {
  const kube = new FakeKube();
  const vvp = new FakeVvpClient();
  const tokens: (string | undefined)[] = [];
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const r = createReconciler({
    kube,
    vvp: (token) => {
      tokens.push(token);
      return vvp;
    },
    instanceId: OWNER,
    recorder: createEventRecorder(kube, silentLogger),
    log: silentLogger,
    now: () => new Date(clock.t),
  });
  return { kube, vvp, r, tokens, clock };
}

function applyCr(
  kube: FakeKube,
  spec: unknown,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): VvpDeploymentResource {
  return kube.apply({
    metadata: {
      name: 'my-deployment',
      namespace: NS,
      labels: meta.labels ?? { 'ververica.platform/owner': OWNER },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
    },
    spec,
  });
}

const cond = (kube: FakeKube, type: string) =>
  kube.get(NS, 'my-deployment')?.status?.conditions?.find((c) => c.type === type);
const status = (kube: FakeKube) => kube.get(NS, 'my-deployment')!.status!;
const vvpDeployment = (vvp: FakeVvpClient) => vvp.deployments.get('default/my-deployment')!;

describe('creating a deployment', () => {
  it('creates the deployment in CANCELLED with initFields merged under the deployment, stamped, and reports it in status', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('success');
    const [ns, body] = vvp.callsOf('createDeployment')[0]!.args as [string, any];
    expect(ns).toBe('default');
    expect(body.spec.template.spec.resources).toEqual({
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    });
    expect(body.metadata.labels['ververica.platform/owner']).toBe(OWNER);
    expect(body.metadata.annotations['ververica.platform/cr-uid']).toBe(kube.get(NS, 'my-deployment')!.metadata.uid);
    const s = status(kube);
    expect(s.deploymentId).toBe(vvpDeployment(vvp).metadata.id);
    expect(s.observedGeneration).toBe(1);
    expect(s.observedSpecState).toBe('CANCELLED');
    expect(s.actualState).toBe('CANCELLED');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True', reason: 'DeploymentExists' });
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'True', reason: 'Converged' });
    expect(kube.get(NS, 'my-deployment')!.metadata.finalizers).toEqual(['ververica.platform/finalizer']);
    expect(kube.eventsFor('my-deployment').map((e) => e.reason)).toContain('Created');
    expect(vvp.events.map((e) => e.spec.message)).toEqual(['Kubernetes operator created deployment']);
  });

  it('ignores CRs whose owner label names another instance', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { labels: { 'ververica.platform/owner': 'someone-else' } });
    expect((await r.reconcile(KEY)).result).toBe('skipped');
    expect(vvp.calls).toEqual([]);
    expect(kube.callsOf('setFinalizers')).toEqual([]);
  });

  it('finds the deployment it created before a crash instead of creating a second one', async () => {
    const { kube, vvp, r } = setup();
    const cr = applyCr(kube, seedSpec());
    await vvp.createDeployment('default', {
      ...seedSpec().deployment,
      metadata: {
        name: 'my-deployment',
        namespace: 'default',
        labels: { 'ververica.platform/owner': OWNER },
        annotations: { 'ververica.platform/cr-uid': cr.metadata.uid },
      },
    } as any);
    vvp.calls.length = 0;
    await r.reconcile(KEY);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
    expect(vvp.deployments.size).toBe(1);
    expect(status(kube).deploymentId).toBe(vvpDeployment(vvp).metadata.id);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True' });
  });

  it('reports NameConflict and touches nothing when the name belongs to a deployment without our stamp', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    await vvp.createDeployment('default', {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
    vvp.calls.length = 0;
    expect((await r.reconcile(KEY)).result).toBe('failed');
    expect(vvp.writes()).toEqual([]);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'NameConflict' });
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'False', reason: 'NameConflict' });
    await r.reconcile(KEY);
    expect(kube.eventsFor('my-deployment').filter((e) => e.reason === 'NameConflict')).toHaveLength(1);
  });

  it('adopts an unstamped deployment when the CR carries ververica.platform/adopt: "true", and stamps it', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { annotations: { 'ververica.platform/adopt': 'true' } });
    await vvp.createDeployment('default', {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
    vvp.calls.length = 0;
    await r.reconcile(KEY);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
    expect(vvp.callsOf('patchDeployment')).toHaveLength(1);
    expect(vvpDeployment(vvp).metadata.labels?.['ververica.platform/owner']).toBe(OWNER);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True' });
  });

  it('creates in PUT mode with a PUT of the full definition', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, putSpec());
    await r.reconcile(KEY);
    expect(vvp.callsOf('putDeployment')).toHaveLength(1);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
  });

  it('records nonces present at creation as processed without triggering them', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { ...seedSpec(), savepointNonce: 3, restartNonce: 7 });
    await r.reconcile(KEY);
    expect(status(kube)).toMatchObject({ lastProcessedSavepointNonce: 3, lastProcessedRestartNonce: 7 });
    expect(vvp.callsOf('triggerSavepoint')).toEqual([]);
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'True', reason: 'NoncesProcessed' });
  });

  it('registers initialSavepointSpec once at creation', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { ...seedSpec(), initialSavepointSpec: { savepointLocation: 's3://sp/1' } });
    await r.reconcile(KEY);
    expect(vvp.callsOf('registerSavepoint').map((c) => c.args[2])).toEqual(['s3://sp/1']);
    await r.reconcile(KEY);
    expect(vvp.callsOf('registerSavepoint')).toHaveLength(1);
  });

  it('reads the API token from the Secret named by apikeySecretName (key token, or the only key)', async () => {
    const { kube, r, tokens } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { anything: 's3cr3t-token' });
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'my-vvp-apikey' } });
    await r.reconcile(KEY);
    expect(tokens).toEqual(['s3cr3t-token']);
  });

  it('reports ApiKeySecretMissing (without creating anything) when the Secret does not exist, and never shows a token', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'missing' } });
    const result = await r.reconcile(KEY);
    expect(result).toMatchObject({ result: 'failed' });
    expect(result.requeueAfterMs).toBeGreaterThan(0);
    expect(vvp.calls).toEqual([]);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'ApiKeySecretMissing' });
    expect(cond(kube, 'Consistent')!.message).toContain(`${NS}/missing`);
  });

  it('a Kubernetes 403 on the Secret (RBAC denies get secrets) names the RBAC fix, not the VVP token, and is retried', async () => {
    const { kube, vvp, r } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { token: 's3cr3t-token' });
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'my-vvp-apikey' } });
    kube.fail('getSecretData', 403);
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('retry');
    expect(vvp.calls).toEqual([]);
    const c = cond(kube, 'Consistent')!;
    expect(c).toMatchObject({ status: 'False', reason: 'ApiKeySecretMissing' });
    expect(c.message).toContain(`${NS}/my-vvp-apikey`);
    expect(c.message).toContain('RBAC');
    expect(c.message).not.toContain('check the API token');
    // once RBAC allows it, the retry converges
    expect((await r.reconcile(KEY)).result).toBe('success');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True', reason: 'DeploymentExists' });
  });

  it('a VVP 403 gives Unauthorized with the API-token fix and is not retried', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    vvp.fail({ method: 'findDeployment', status: 403, message: 'token lacks the role' });
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('failed');
    const c = cond(kube, 'Consistent')!;
    expect(c).toMatchObject({ status: 'False', reason: 'Unauthorized' });
    expect(c.message).toContain('check the API token');
  });

  it('rejects an invalid spec with InvalidSpec listing every problem, and never calls VVP', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, {
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'my-deployment', namespace: 'default' }, spec: { state: 'CANCELLED' } },
      savepointNonce: 1.5,
    });
    expect((await r.reconcile(KEY)).result).toBe('failed');
    expect(vvp.calls).toEqual([]);
    const c = cond(kube, 'SpecAligned')!;
    expect(c).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(c.message).toContain('savepointNonce');
    expect(c.message).toContain('parallelism');
  });
});

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
