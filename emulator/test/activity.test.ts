/** Savepoints: trigger, registration (M18) and deletion through the deletion states (M23), on a virtual clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualScheduler, startEmulator, type EmulatorHandle, type ProfileName } from '../src/index';
import { call as callOn, D, jar } from './support';

const DELAY = 1000;
const SP = '/api/v1/namespaces/default/savepoints';
const SPEC_VERSION = 'com.dataartisans.appmanager.controller.deployment.spec.version';
let emu: EmulatorHandle;
let clock: ManualScheduler;
let id: string;
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
const register = (extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  call('POST', SP, {
    metadata: { deploymentId: id, ...extra },
    spec: { savepointLocation: 's3://b/sp-1', ...spec },
  });

/** A fresh emulator of a profile (default vvp-3) with target t1 and deployment orders. */
const boot = async (profile?: ProfileName) => {
  clock = new ManualScheduler();
  emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, ...(profile ? { profile } : {}) });
  await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {});
  id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
  clock.runAll();
};
beforeEach(() => boot());
afterEach(async () => {
  await emu.stop();
});

describe('savepoint trigger', () => {
  it('a deployment without a running job is 400 "No active job for a deployment"', async () => {
    const r = await call('POST', SP, { metadata: { deploymentId: id } });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^No active job for a deployment: deployment 'orders' has no running job/);
  });
});

describe('savepoint registration', () => {
  it('stores the spec.version annotation and flinkSavepointId; origin COPIED, COMPLETED, no job', async () => {
    const r = await register({ annotations: { [SPEC_VERSION]: '7', team: 'a' } }, { flinkSavepointId: 'f-1' });
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({
      deploymentId: id,
      origin: 'COPIED',
      annotations: { [SPEC_VERSION]: '7', team: 'a' },
    });
    expect(r.body.metadata.jobId).toBeUndefined();
    expect(r.body.spec).toEqual({ savepointLocation: 's3://b/sp-1', flinkSavepointId: 'f-1' });
    expect(r.body.status.state).toBe('COMPLETED');
    expect((await call('GET', `${SP}/${r.body.metadata.id}`)).body.metadata.annotations[SPEC_VERSION]).toBe('7');
  });

  it('without the annotation it takes the deployment spec version', async () => {
    expect((await register()).body.metadata.annotations[SPEC_VERSION]).toBe('1');
  });

  it.each([
    [{}, { savepointLocation: '' }, "Invalid spec.savepointLocation ''"],
    [{}, { savepointLocation: 5 }, 'Invalid spec.savepointLocation 5: must be a string'],
    [{ annotations: { [SPEC_VERSION]: 'latest' } }, {}, `Invalid metadata.annotations.${SPEC_VERSION} 'latest'`],
    [{ annotations: { [SPEC_VERSION]: 3 } }, {}, 'must be a string'],
    [{ deploymentId: undefined }, {}, 'Invalid metadata.deploymentId undefined: it is required'],
    [{ deploymentId: 42 }, {}, 'Invalid metadata.deploymentId 42'],
  ])('hostile or wrong input is a 400 naming the field (%#)', async (meta, spec, message) => {
    const r = await register(meta, spec);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
  });

  it('an unknown deployment is 404 and a huge body 413', async () => {
    expect((await register({ deploymentId: 'nope' })).status).toBe(404);
    expect((await register({}, { savepointLocation: 'x'.repeat(1_100_000) })).status).toBe(413);
  });
});

describe('savepoint deletion', () => {
  it('vvp-3: PENDING_DELETION, then DELETING, then gone (404)', async () => {
    const sp = (await register()).body.metadata.id;
    const r = await call('DELETE', `${SP}/${sp}?force=true`);
    expect(r.status).toBe(200);
    expect(r.body.status.state).toBe('PENDING_DELETION');
    expect((await call('DELETE', `${SP}/${sp}`)).body.status.state).toBe('PENDING_DELETION');
    clock.advance(DELAY);
    expect((await call('GET', `${SP}/${sp}`)).body.status.state).toBe('DELETING');
    clock.advance(DELAY);
    expect((await call('GET', `${SP}/${sp}`)).status).toBe(404);
    expect((await call('GET', `${SP}?deploymentId=${id}`)).body.items).toEqual([]);
  });

  it('the failSavepoints fault ends in FAILED_DELETION, which may be deleted again', async () => {
    const sp = (await register()).body.metadata.id;
    emu.faults.setBehaviour({ failSavepoints: 'orders' });
    await call('DELETE', `${SP}/${sp}`);
    clock.runAll();
    expect((await call('GET', `${SP}/${sp}`)).body.status).toMatchObject({
      state: 'FAILED_DELETION',
      failure: { reason: 'SAVEPOINT_DELETION_FAILED' },
    });
    emu.faults.clear();
    await call('DELETE', `${SP}/${sp}`);
    clock.runAll();
    expect((await call('GET', `${SP}/${sp}`)).status).toBe(404);
  });

  it('a savepoint still being taken is 409; an unknown one 404', async () => {
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    const taken = (await call('POST', SP, { metadata: { deploymentId: id } })).body.metadata.id;
    const r = await call('DELETE', `${SP}/${taken}`);
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('still being taken');
    expect((await call('DELETE', `${SP}/nope`)).status).toBe(404);
  });

  it('vvp-2.4 has no savepoint deletion: 405 naming the profile', async () => {
    await emu.stop();
    await boot('vvp-2.4');
    const sp = (await register()).body.metadata.id;
    const r = await call('DELETE', `${SP}/${sp}`);
    expect(r.status).toBe(405);
    expect(r.body.message).toContain('not allowed in profile vvp-2.4');
    expect((await call('GET', `${SP}/${sp}`)).body.status.state).toBe('COMPLETED');
  });

  it('--data-dir resumes a deletion after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-'));
    await emu.stop();
    emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, dataDir: dir });
    await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {});
    id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
    const sp = (await register()).body.metadata.id;
    await call('DELETE', `${SP}/${sp}`);
    await emu.stop();
    emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, dataDir: dir });
    expect((await call('GET', `${SP}/${sp}`)).body.status.state).toBe('PENDING_DELETION');
    clock.advance(2 * DELAY);
    expect((await call('GET', `${SP}/${sp}`)).status).toBe(404);
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
