/** Session clusters: CRUD, validation, the state machine on a virtual clock, and session-mode deployments. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { call as callOn, D, jar } from './support';

const DELAY = 1000;
const SC = '/api/v1/namespaces/default/sessionclusters';
let emu: EmulatorHandle;
let clock: ManualScheduler;
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
const phases = (n = 1) => {
  for (let i = 0; i < n; i++) clock.advance(DELAY);
};
const cluster = (name = 'sc', spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { state: 'STOPPED', deploymentTargetName: 't1', flinkVersion: '1.17', ...spec },
});
const sessionJar = (name: string, spec: Record<string, unknown> = {}) =>
  jar(name, { deploymentTargetName: undefined, sessionClusterName: 'sc', ...spec });
const state = async (name = 'sc') => (await call('GET', `${SC}/${name}`)).body.status.state;

beforeEach(async () => {
  clock = new ManualScheduler();
  emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY });
  expect((await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {})).status).toBeLessThan(300);
});
afterEach(async () => {
  await emu.stop();
});

describe('session clusters: resource', () => {
  it('POST creates (201, STOPPED), GET by name and id, list, duplicate POST 409', async () => {
    const created = await call('POST', SC, cluster('sc', { engineVersionName: 'vera-4.1-flink-1.20' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'SessionCluster',
      metadata: { name: 'sc', namespace: 'default', resourceVersion: 1 },
      spec: { state: 'STOPPED', deploymentTargetName: 't1', engineVersionName: 'vera-4.1-flink-1.20' },
      status: { state: 'STOPPED' },
    });
    expect((await call('GET', `${SC}/${created.body.metadata.id}`)).body.metadata.name).toBe('sc');
    expect((await call('GET', SC)).body).toMatchObject({
      kind: 'SessionClusterList',
      items: [{ metadata: { name: 'sc' } }],
    });
    const dup = await call('POST', SC, cluster());
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain("Session cluster 'sc' already exists");
    expect((await call('GET', `${SC}/nope`)).status).toBe(404);
  });

  it('PUT upserts (201 then 200, replacing the spec), PATCH merges, both bump resourceVersion', async () => {
    expect((await call('PUT', `${SC}/sc`, cluster('sc', { numberOfTaskManagers: 2 }))).status).toBe(201);
    const put = await call('PUT', `${SC}/sc`, cluster('sc', { flinkVersion: '1.18' }));
    expect(put.status).toBe(200);
    expect(put.body.spec.numberOfTaskManagers).toBeUndefined();
    expect(put.body.metadata.resourceVersion).toBe(2);
    const patched = await call('PATCH', `${SC}/sc`, { spec: { flinkConfiguration: { 'a.b': 3 } } });
    expect(patched.status).toBe(200);
    expect(patched.body.spec).toMatchObject({ flinkVersion: '1.18', flinkConfiguration: { 'a.b': '3' } });
    expect(patched.body.metadata.resourceVersion).toBe(3);
    const stale = await call('PATCH', `${SC}/sc`, { metadata: { resourceVersion: 1 } });
    expect(stale.status).toBe(409);
    expect((await call('PATCH', `${SC}/sc`, { metadata: { name: 'other' } })).body.message).toContain(
      'metadata.name is immutable',
    );
  });

  it.each([
    [cluster('Bad_Name'), 'Invalid session cluster name'],
    [cluster('x'.repeat(64)), 'Invalid session cluster name'],
    [{ spec: {} }, 'Invalid metadata.name undefined: it is required'],
    [cluster('sc', { state: 'RUNNNING' }), "Invalid spec.state 'RUNNNING': use STOPPED or RUNNING"],
    [cluster('sc', { deploymentTargetName: undefined }), 'spec.deploymentTargetName undefined: it is required'],
    [cluster('sc', { deploymentTargetName: 'ghost' }), "Deployment target 'ghost' does not exist"],
    [cluster('sc', { numberOfTaskManagers: '2' }), "Invalid spec.numberOfTaskManagers '2': must be an integer"],
    [cluster('sc', { numberOfTaskManagers: 0 }), 'Invalid spec.numberOfTaskManagers 0'],
    [cluster('sc', { resources: { jobmanager: { cpu: 'lots' } } }), 'spec.resources.jobmanager.cpu'],
    [{ metadata: { name: 'sc', namespace: 'other' }, spec: cluster().spec }, 'metadata.namespace'],
    [{ metadata: 'sc' }, "Invalid metadata 'sc': must be an object"],
    [{ metadata: { name: 'sc' }, spec: [1] }, 'Invalid spec an array: must be an object'],
  ])('hostile or wrong input is a 400 naming the field (%#)', async (body, message) => {
    const r = await call('POST', SC, body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
  });

  it('a huge body is 413 and a PUT with a mismatching name 400', async () => {
    const huge = await call('POST', SC, { ...cluster(), pad: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    const r = await call('PUT', `${SC}/sc`, cluster('other'));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("does not match the path name 'sc'");
  });
});

describe('session clusters: unknown fields and profiles', () => {
  const policy = async (unknownFields: 'reject' | 'drop', profile: 'vvp-2.4' | 'vvp-3' = 'vvp-3') => {
    await emu.stop();
    emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, profile, unknownFields });
    await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {});
  };

  it('reject: a GET answer PUT back is fine, a misspelt field is 400 naming it', async () => {
    await policy('reject');
    const got = (await call('POST', SC, cluster())).body;
    expect((await call('PUT', `${SC}/sc`, got)).status).toBe(200);
    const typo = await call('PUT', `${SC}/sc`, cluster('sc', { flinkVersio: '1.18' }));
    expect(typo.status).toBe(400);
    expect(typo.body.message).toContain('Unknown field spec.flinkVersio');
    const patch = await call('PATCH', `${SC}/sc`, { sepc: { state: 'RUNNING' } });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toContain('Unknown field sepc');
  });

  it('vvp-2.4 has no engineVersionName: rejected or dropped per the unknown-field policy', async () => {
    await policy('reject', 'vvp-2.4');
    const r = await call('POST', SC, cluster('sc', { engineVersionName: 'vera-4.1-flink-1.20' }));
    expect(r.body.message).toContain('Unknown field spec.engineVersionName');
    await policy('drop', 'vvp-2.4');
    const dropped = await call('POST', SC, cluster('sc', { engineVersionName: 'vera-4.1-flink-1.20' }));
    expect(dropped.status).toBe(201);
    expect(dropped.body.spec.engineVersionName).toBeUndefined();
  });
});

describe('session clusters: state machine', () => {
  it('RUNNING goes STARTING → RUNNING, a spec change UPDATING → RUNNING, STOPPED goes STOPPING → STOPPED', async () => {
    await call('POST', SC, cluster('sc', { state: 'RUNNING' }));
    expect(await state()).toBe('STOPPED');
    phases();
    expect(await state()).toBe('STARTING');
    phases();
    const running = (await call('GET', `${SC}/sc`)).body.status;
    expect(running).toMatchObject({ state: 'RUNNING', running: { startedAt: '2026-01-01T00:00:02.000000Z' } });
    expect(clock.pending()).toBe(0);
    await call('PATCH', `${SC}/sc`, { spec: { numberOfTaskManagers: 3 } });
    phases();
    expect(await state()).toBe('UPDATING');
    phases();
    expect(await state()).toBe('RUNNING');
    await call('PATCH', `${SC}/sc`, { spec: { state: 'STOPPED' } });
    phases();
    expect(await state()).toBe('STOPPING');
    phases();
    expect(await state()).toBe('STOPPED');
    expect(clock.pending()).toBe(0);
  });

  it('DELETE is refused (409) while desired RUNNING or referenced by a deployment, naming them', async () => {
    await call('POST', SC, cluster('sc', { state: 'RUNNING' }));
    const running = await call('DELETE', `${SC}/sc`);
    expect(running.status).toBe(409);
    expect(running.body.message).toContain('set spec.state to STOPPED first');
    await call('PATCH', `${SC}/sc`, { spec: { state: 'STOPPED' } });
    await call('POST', D, sessionJar('orders'));
    const used = await call('DELETE', `${SC}/sc`);
    expect(used.status).toBe(409);
    expect(used.body.message).toContain("is referenced by deployment 'orders'");
    await call('DELETE', `${D}/orders`);
    expect((await call('DELETE', `${SC}/sc`)).status).toBe(200);
    expect((await call('GET', `${SC}/sc`)).status).toBe(404);
  });
});

describe('session-mode deployments', () => {
  it('a missing cluster is 400 naming it and how to create it (POST, PUT and PATCH)', async () => {
    const post = await call('POST', D, sessionJar('orders'));
    expect(post.status).toBe(400);
    expect(post.body.message).toContain("Session cluster 'sc' does not exist in namespace 'default'");
    expect(post.body.message).toContain('POST /api/v1/namespaces/default/sessionclusters');
    expect((await call('PUT', `${D}/orders`, sessionJar('orders'))).status).toBe(400);
    await call('POST', D, jar('plain', { deploymentTargetName: 't1' }));
    const patch = await call('PATCH', `${D}/plain`, { spec: { sessionClusterName: 'ghost' } });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toContain("Session cluster 'ghost' does not exist");
  });

  it('the job carries metadata.sessionClusterName and waits (STARTING) until the cluster is RUNNING', async () => {
    await call('POST', SC, cluster('sc'));
    const { body } = await call('POST', D, sessionJar('orders', { state: 'RUNNING' }));
    phases(3);
    const [job] = (await call('GET', `/api/v1/namespaces/default/jobs?deploymentId=${body.metadata.id}`)).body.items;
    expect(job.metadata.sessionClusterName).toBe('sc');
    expect(job.status.state).toBe('STARTING');
    expect((await call('GET', `${D}/orders`)).body.status.state).toBe('TRANSITIONING');
    expect(clock.pending()).toBe(0); // nothing polls: the cluster wakes the deployment
    await call('PATCH', `${SC}/sc`, { spec: { state: 'RUNNING' } });
    phases(2);
    expect(await state()).toBe('RUNNING');
    phases();
    expect((await call('GET', `${D}/orders`)).body.status.state).toBe('RUNNING');
    expect((await call('GET', `/api/v1/namespaces/default/jobs/${job.metadata.id}`)).body.status.state).toBe('STARTED');
  });

  it('stopping a cluster under a running job is refused (409 naming the deployment)', async () => {
    await call('POST', SC, cluster('sc', { state: 'RUNNING' }));
    await call('POST', D, sessionJar('orders', { state: 'RUNNING' }));
    clock.runAll();
    const r = await call('PATCH', `${SC}/sc`, { spec: { state: 'STOPPED' } });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain("runs jobs of deployment 'orders'");
  });
});

describe('session clusters: persistence', () => {
  it('--data-dir keeps clusters and resumes a transition', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sc-'));
    await emu.stop();
    emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, dataDir: dir });
    await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {});
    await call('POST', SC, cluster('sc', { state: 'RUNNING' }));
    await emu.stop();
    emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, dataDir: dir });
    expect(await state()).toBe('STOPPED');
    phases(2);
    expect(await state()).toBe('RUNNING');
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
