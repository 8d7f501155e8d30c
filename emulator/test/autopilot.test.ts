/** Autopilot: policy routes, :status, the ACTIVE behaviour of each profile, the admin step, and durability. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ManualScheduler,
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type ProfileName,
} from '../src/index';
import { call as callOn, D, jar } from './support';

const DELAY = 1000;
const INTERVAL = 60_000;
const AP = (id: string) => `/autopilot/v1alpha1/namespaces/default/deployments/${id}/autopilotpolicy`;
const ACTIVE = { mode: 'AUTOPILOT_MODE_ACTIVE' };
let emu: EmulatorHandle;
let clock: ManualScheduler;
let id: string;
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
const status = async () => (await call('GET', `${AP(id)}:status`)).body;
const deployment = async () => (await call('GET', `${D}/orders`)).body;
const phases = (n = 1) => {
  for (let i = 0; i < n; i++) clock.advance(DELAY);
};
const start = async (options: EmulatorOptions = {}) => {
  emu = await startEmulator({ scheduler: clock, transitionDelayMs: DELAY, autopilotIntervalMs: INTERVAL, ...options });
  await call('PUT', '/api/v1/namespaces/default/deployment-targets/t1', {});
};
const running = async () => {
  id = (await call('POST', D, jar('orders', { state: 'RUNNING', deploymentTargetName: 't1' }))).body.metadata.id;
  await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 2 } } } });
  phases(2);
  expect((await deployment()).status.state).toBe('RUNNING');
};

beforeEach(async () => {
  clock = new ManualScheduler();
  await start();
});
afterEach(async () => {
  await emu.stop();
});

describe('autopilot policy routes', () => {
  it('no policy reads DISABLED; PUT sets the mode (by id or name); :status without a job has no parallelism', async () => {
    id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
    expect((await call('GET', AP(id))).body).toEqual({ mode: 'AUTOPILOT_MODE_DISABLED' });
    expect((await call('PUT', AP('orders'), { mode: 'AUTOPILOT_MODE_MONITORING' })).body).toEqual({
      mode: 'AUTOPILOT_MODE_MONITORING',
    });
    expect((await call('GET', AP(id))).body.mode).toBe('AUTOPILOT_MODE_MONITORING');
    expect(await status()).toEqual({ mode: 'AUTOPILOT_MODE_MONITORING', scalingInProgress: false });
  });

  it.each([
    [
      { mode: 'ACTIVE' },
      "Invalid mode 'ACTIVE': use AUTOPILOT_MODE_DISABLED, AUTOPILOT_MODE_MONITORING or AUTOPILOT_MODE_ACTIVE",
    ],
    [{ mode: 3 }, 'Invalid mode 3'],
    [{}, 'Invalid mode undefined: it is required'],
    [{ mode: ['AUTOPILOT_MODE_ACTIVE'] }, 'Invalid mode an array'],
  ])('hostile or wrong input is a 400 naming the field (%#)', async (body, message) => {
    id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
    const r = await call('PUT', AP(id), body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
  });

  it('an unknown deployment or namespace is 404; a huge body 413', async () => {
    expect((await call('GET', AP('nope'))).status).toBe(404);
    expect((await call('GET', `${AP('..%2F..')}:status`)).status).toBe(404);
    expect((await call('GET', '/autopilot/v1alpha1/namespaces/ghost/deployments/x/autopilotpolicy')).status).toBe(404);
    id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
    expect((await call('PUT', AP(id), { mode: 'AUTOPILOT_MODE_ACTIVE', pad: 'x'.repeat(1_100_000) })).status).toBe(413);
  });
});

describe('ACTIVE in vvp-3 (default): runtime scaling, the template is not edited', () => {
  it('each interval: CANCELLED (spec and status), STARTING, RUNNING with the next parallelism (+1, then -1)', async () => {
    await running();
    await call('PUT', AP(id), ACTIVE);
    const writes = emu.writes().length;
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: false, runtimeParallelism: 2 });
    clock.advance(INTERVAL);
    let d = await deployment();
    expect([d.spec.state, d.status.state]).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: true });
    phases();
    expect((await deployment()).status.state).toBe('STARTING');
    expect((await status()).scalingInProgress).toBe(true);
    phases();
    d = await deployment();
    expect([d.spec.state, d.status.state]).toEqual(['RUNNING', 'RUNNING']);
    expect(d.spec.template.spec.parallelism).toBe(2);
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: false, runtimeParallelism: 3 });
    const jobs = (await call('GET', `/api/v1/namespaces/default/jobs?deploymentId=${id}`)).body.items;
    expect(d.status.running.jobId).toBe(jobs[jobs.length - 1].metadata.id);
    clock.advance(INTERVAL - 2 * DELAY);
    phases(2);
    expect((await status()).runtimeParallelism).toBe(2);
    expect(emu.writes().length).toBe(writes); // Autopilot's changes are not client requests
  });

  it('a client change during the scaling wins and ends it', async () => {
    await running();
    await call('PUT', AP(id), ACTIVE);
    clock.advance(INTERVAL);
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    phases(3);
    expect((await deployment()).status.state).toBe('RUNNING');
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: false, runtimeParallelism: 2 });
  });

  it('DISABLED stops the interval; a deleted deployment drops its policy', async () => {
    await running();
    await call('PUT', AP(id), ACTIVE);
    await call('PUT', AP(id), { mode: 'AUTOPILOT_MODE_DISABLED' });
    clock.advance(INTERVAL);
    expect((await deployment()).status.state).toBe('RUNNING');
    await call('PUT', AP(id), ACTIVE);
    await call('PATCH', `${D}/orders`, { spec: { state: 'CANCELLED' } });
    phases(2);
    await call('DELETE', `${D}/orders`);
    clock.advance(INTERVAL);
    expect(emu.store.state.namespaces.get('default')!.autopilot!.size).toBe(0);
  });
});

describe.each(['vvp-2.4', 'lenient'])('ACTIVE in %s: the deployment spec is PATCHed', (profile) => {
  it('parallelism drifts +1 then -1; the job restarts with it; scalingInProgress until it runs', async () => {
    await emu.stop();
    await start({ profile: profile as ProfileName });
    await running();
    await call('PUT', AP(id), ACTIVE);
    clock.advance(INTERVAL);
    const d = await deployment();
    expect(d.spec.template.spec.parallelism).toBe(3);
    expect(d.spec.state).toBe('RUNNING');
    expect(d.metadata.annotations['com.dataartisans.appmanager.controller.deployment.spec.version']).toBe('3');
    expect((await status()).scalingInProgress).toBe(true);
    phases(6);
    expect((await deployment()).status.state).toBe('RUNNING');
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: false, runtimeParallelism: 3 });
    clock.advance(INTERVAL - 6 * DELAY);
    expect((await deployment()).spec.template.spec.parallelism).toBe(2);
  });
});

describe('ACTIVE spec-patch (lenient) when the platform refuses the PATCH', () => {
  it('the interval skips the step; the admin step answers the refusal', async () => {
    await emu.stop();
    await start({ profile: 'lenient' });
    await running();
    await call('PATCH', `${D}/orders`, { spec: { bogus: 1 } }); // kept by the lenient model...
    phases(8);
    Object.assign(emu.store.state, { model: { ...emu.store.state.model, unknownFields: 'reject' } }); // ...now refused
    await call('PUT', AP(id), ACTIVE);
    expect(() => clock.advance(INTERVAL)).not.toThrow();
    expect((await deployment()).spec.template.spec.parallelism).toBe(2);
    expect((await status()).scalingInProgress).toBe(false);
    const r = await call('POST', '/__emulator/autopilot/step', { namespace: 'default', deploymentId: id });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('Unknown field spec.bogus');
    expect((await status()).scalingInProgress).toBe(false);
  });
});

describe('admin route POST /__emulator/autopilot/step', () => {
  const step = (body: unknown) => call('POST', '/__emulator/autopilot/step', body);

  it('runs one scaling step now and answers :status', async () => {
    await running();
    await call('PUT', AP(id), ACTIVE);
    const r = await step({ namespace: 'default', deploymentId: id });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ mode: ACTIVE.mode, scalingInProgress: true });
    const again = await step({ namespace: 'default', deploymentId: id });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already scaling');
    phases(2);
    expect((await status()).runtimeParallelism).toBe(3);
  });

  it('409 unless ACTIVE and RUNNING; 400 for a bad body; 404 for an unknown deployment', async () => {
    id = (await call('POST', D, jar('orders', { deploymentTargetName: 't1' }))).body.metadata.id;
    const disabled = await step({ namespace: 'default', deploymentId: id });
    expect(disabled.status).toBe(409);
    expect(disabled.body.message).toContain('is AUTOPILOT_MODE_DISABLED; PUT mode AUTOPILOT_MODE_ACTIVE first');
    await call('PUT', AP(id), ACTIVE);
    expect((await step({ namespace: 'default', deploymentId: id })).body.message).toContain('RUNNING deployments only');
    expect((await step({ namespace: 'default' })).status).toBe(400);
    expect((await step({ namespace: 'default', deploymentId: id, extra: 1 })).body.message).toContain(
      'Unknown field extra',
    );
    expect((await step({ namespace: 'default', deploymentId: 5 })).status).toBe(400);
    expect((await step({ namespace: 'default', deploymentId: 'nope' })).status).toBe(404);
  });
});

describe('autopilot: --data-dir', () => {
  it('keeps policies, resumes the interval and a scaling in progress', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ap-'));
    await emu.stop();
    await start({ dataDir: dir });
    await running();
    await call('PUT', AP(id), ACTIVE);
    await call('POST', '/__emulator/autopilot/step', { namespace: 'default', deploymentId: id });
    await emu.stop();
    await start({ dataDir: dir });
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: true });
    phases(3);
    expect(await status()).toEqual({ mode: ACTIVE.mode, scalingInProgress: false, runtimeParallelism: 3 });
    clock.advance(INTERVAL - 3 * DELAY); // the interval restarted with the emulator
    expect((await deployment()).status.state).toBe('CANCELLED');
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
