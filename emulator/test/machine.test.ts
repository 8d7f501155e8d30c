/** The deployment state machine, stepped phase by phase on a virtual clock (no sleeping). */
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { call as callOn, D, jar, PLATFORM } from './support';

const DELAY = 1000;
let emu: EmulatorHandle;
let clock: ManualScheduler;
beforeEach(async () => {
  clock = new ManualScheduler();
  emu = await startEmulator({ ...PLATFORM, scheduler: clock, transitionDelayMs: DELAY });
});
afterEach(async () => {
  await emu.stop();
});

const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
/** Runs `n` phases of the state machine. */
const phases = (n = 1) => {
  for (let i = 0; i < n; i++) clock.advance(DELAY);
};
const actual = async (name = 'orders') => (await call('GET', `${D}/${name}`)).body.status?.state;
const eventNames = async (id: string) =>
  (await call('GET', `/api/v1/namespaces/default/events?deploymentId=${id}`)).body.items.map(
    (e: any) => e.metadata.name,
  );
const jobs = async (id: string) => (await call('GET', `/api/v1/namespaces/default/jobs?deploymentId=${id}`)).body.items;
const savepoints = async (id: string) =>
  (await call('GET', `/api/v1/namespaces/default/savepoints?deploymentId=${id}`)).body.items;

describe('state machine', () => {
  it('starts a job on RUNNING: one phase TRANSITIONING, the next RUNNING, with VVP event names', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING' }));
    expect(await actual()).toBe('CANCELLED');
    phases();
    expect(await actual()).toBe('TRANSITIONING');
    phases();
    expect(await actual()).toBe('RUNNING');
    expect(clock.pending()).toBe(0);
    const d = (await call('GET', `${D}/orders`)).body;
    const [job] = await jobs(body.metadata.id);
    expect(d.status.running.jobId).toBe(job.metadata.id);
    expect(job.status.started.flinkJobId).toBe(job.metadata.id.replace(/-/g, ''));
    expect(job.status.started.startedAt).toBe('2026-01-01T00:00:02.000000Z');
    expect(await eventNames(body.metadata.id)).toEqual([
      'STATE_TRANSITION_IS_NEEDED',
      'CREATING_A_NEW_JOB',
      'AWAITING_A_JOB_TO_START',
      'JOB_SUCCESSFULLY_STARTED',
      'STATE_TRANSITION_IS_COMPLETED',
    ]);
    expect(d.metadata.annotations['com.dataartisans.appmanager.controller.deployment.transitioning']).toBe('false');
  });

  it.each([
    ['STATEFUL', ['SUSPEND_AND_UPGRADE']],
    ['STATELESS', []],
  ])('a template change while RUNNING starts a new job (%s upgrade)', async (kind, origins) => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING', upgradeStrategy: { kind } }));
    clock.runAll();
    await call('PATCH', `${D}/orders`, {
      spec: { template: { metadata: { annotations: { 'ververica.platform/restart-nonce': '1' } } } },
    });
    phases();
    expect(await actual()).toBe('TRANSITIONING');
    clock.runAll();
    expect(await actual()).toBe('RUNNING');
    expect((await jobs(body.metadata.id)).map((j: any) => j.status.state).sort()).toEqual(['STARTED', 'TERMINATED']);
    expect((await savepoints(body.metadata.id)).map((s: any) => s.metadata.origin)).toEqual(origins);
  });

  it('upgrade strategy NONE leaves the running job alone', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING', upgradeStrategy: { kind: 'NONE' } }));
    clock.runAll();
    await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 4 } } } });
    expect(clock.runAll()).toBe(1);
    expect(await jobs(body.metadata.id)).toHaveLength(1);
    expect(await actual()).toBe('RUNNING');
  });

  it('suspends through a SUSPEND savepoint and cancels without one', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING' }));
    clock.runAll();
    await call('PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } });
    clock.runAll();
    expect(await actual()).toBe('SUSPENDED');
    expect((await savepoints(body.metadata.id)).map((s: any) => [s.metadata.origin, s.status.state])).toEqual([
      ['SUSPEND', 'COMPLETED'],
    ]);
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    expect(await actual()).toBe('RUNNING');
    await call('PATCH', `${D}/orders`, { spec: { state: 'CANCELLED' } });
    clock.runAll();
    expect(await actual()).toBe('CANCELLED');
    expect(await savepoints(body.metadata.id)).toHaveLength(1);
  });

  it('goes FAILED after maxJobCreationAttempts failed starts, and retries on the next spec change', async () => {
    emu.faults.setBehaviour({ failJobs: 'orders' });
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING', maxJobCreationAttempts: 2 }));
    clock.runAll();
    expect(await actual()).toBe('FAILED');
    expect(await jobs(body.metadata.id)).toHaveLength(2);
    expect(await eventNames(body.metadata.id)).toEqual(
      expect.arrayContaining(['FAILED_CREATING_A_NEW_JOB', 'TOO_MANY_FAILED_JOB_CREATION_ATTEMPTS']),
    );
    emu.faults.clear();
    await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 2 } } } });
    clock.runAll();
    expect(await actual()).toBe('RUNNING');
  });

  it('finite jobs end FINISHED', async () => {
    emu.faults.setBehaviour({ finishJobs: true });
    await call('POST', D, jar('orders', { state: 'RUNNING' }));
    clock.runAll();
    expect(await actual()).toBe('FINISHED');
  });

  it('savepoints run STARTED → COMPLETED one phase later, or FAILED under a fault; none without a running job', async () => {
    const { body } = await call('POST', D, jar('orders'));
    const trigger = () =>
      call('POST', '/api/v1/namespaces/default/savepoints', { metadata: { deploymentId: body.metadata.id } });
    expect((await trigger()).status).toBe(400);
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    const sp = await trigger();
    expect(sp.body).toMatchObject({ metadata: { origin: 'USER_REQUEST' }, status: { state: 'STARTED' } });
    expect(sp.body.spec.savepointLocation).toContain(
      `/namespaces/default/deployments/${body.metadata.id}/${sp.body.metadata.id}`,
    );
    const state = async (id: string) =>
      (await call('GET', `/api/v1/namespaces/default/savepoints/${id}`)).body.status.state;
    phases();
    expect(await state(sp.body.metadata.id)).toBe('COMPLETED');
    emu.faults.setBehaviour({ failSavepoints: true });
    const bad = await trigger();
    phases();
    expect(await state(bad.body.metadata.id)).toBe('FAILED');
  });

  it('a failing suspension savepoint ends FAILED after maxSavepointCreationAttempts', async () => {
    await call('POST', D, jar('orders', { state: 'RUNNING', maxSavepointCreationAttempts: 2 }));
    clock.runAll();
    emu.faults.setBehaviour({ failSavepoints: 'orders' });
    await call('PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } });
    clock.runAll();
    expect(await actual()).toBe('FAILED');
  });

  it('a deleted deployment leaves no phase behind', async () => {
    await call('POST', D, jar('orders', { state: 'SUSPENDED' }));
    await call('DELETE', `${D}/orders`);
    expect(clock.pending()).toBe(0);
  });
});

describe('restore (M19): a new job starts from the savepoint its restoreStrategy picks', () => {
  const jobSpecs = async (id: string) => (await jobs(id)).map((j: any) => j.spec);
  const start = async (name: string, spec: Record<string, unknown> = {}) => {
    const { body } = await call('POST', D, jar(name, { state: 'RUNNING', ...spec }));
    clock.runAll();
    return body.metadata.id as string;
  };
  const restart = async (name: string) => {
    await call('PATCH', `${D}/${name}`, { spec: { state: 'SUSPENDED' } });
    clock.runAll();
    await call('PATCH', `${D}/${name}`, { spec: { state: 'RUNNING' } });
    clock.runAll();
  };

  it('after SUSPEND the next job restores from the SUSPEND savepoint (LATEST_STATE default)', async () => {
    const id = await start('orders');
    await restart('orders');
    const [sp] = await savepoints(id);
    expect(sp.metadata.origin).toBe('SUSPEND');
    const [first, second] = await jobSpecs(id);
    expect(first.savepointLocation).toBeUndefined();
    expect(second).toMatchObject({ savepointLocation: sp.spec.savepointLocation, allowNonRestoredState: false });
  });

  it('a STATEFUL upgrade restores from its SUSPEND_AND_UPGRADE savepoint, with allowNonRestoredState', async () => {
    const id = await start('orders', { restoreStrategy: { kind: 'LATEST_SAVEPOINT', allowNonRestoredState: true } });
    await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 2 } } } });
    clock.runAll();
    const [sp] = await savepoints(id);
    expect(sp.metadata.origin).toBe('SUSPEND_AND_UPGRADE');
    expect((await jobSpecs(id))[1]).toMatchObject({
      savepointLocation: sp.spec.savepointLocation,
      allowNonRestoredState: true,
    });
  });

  it('a registered savepoint is the latest state; NONE restores from nothing', async () => {
    const { body } = await call('POST', D, jar('orders'));
    await call('POST', '/api/v1/namespaces/default/savepoints', {
      metadata: { deploymentId: body.metadata.id },
      spec: { savepointLocation: 's3://b/external' },
    });
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    expect((await jobSpecs(body.metadata.id))[0].savepointLocation).toBe('s3://b/external');
    await call('PATCH', `${D}/orders`, { spec: { restoreStrategy: { kind: 'NONE' } } });
    await restart('orders');
    const specs = await jobSpecs(body.metadata.id);
    expect(specs[specs.length - 1].savepointLocation).toBeUndefined();
    expect(specs[specs.length - 1].allowNonRestoredState).toBeUndefined();
  });

  it('LATEST_SAVEPOINT skips retained checkpoints, LATEST_STATE takes them; FAILED savepoints never count', async () => {
    const { body } = await call('POST', D, jar('orders', { restoreStrategy: { kind: 'LATEST_SAVEPOINT' } }));
    const ns = emu.store.state.namespaces.get('default')!;
    const add = (id: string, origin: string, state: string) =>
      ns.savepoints.set(id, {
        metadata: { id, deploymentId: body.metadata.id, origin },
        spec: { savepointLocation: `s3://b/${id}` },
        status: { state },
      });
    add('sp-1', 'USER_REQUEST', 'COMPLETED');
    add('cp-2', 'RETAINED_CHECKPOINT', 'COMPLETED');
    add('sp-3', 'USER_REQUEST', 'FAILED');
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    expect((await jobSpecs(body.metadata.id))[0].savepointLocation).toBe('s3://b/sp-1');
    await call('PATCH', `${D}/orders`, { spec: { state: 'CANCELLED', restoreStrategy: { kind: 'LATEST_STATE' } } });
    clock.runAll();
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    clock.runAll();
    expect((await jobSpecs(body.metadata.id))[1].savepointLocation).toBe('s3://b/cp-2');
  });
});
