import { providerInputs, putProviderInputs, TEST_ARTIFACT } from '../../tests/fixtures/seed';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createVvpClient } from '../../vvp-client/src/index';
import { createHandlers, PROVIDER_KEY, type Handlers } from '../src/handlers';

const TOKEN = 'test-token-s3cr3t';
const URN = 'urn:pulumi:test::proj::pulumi-nodejs:dynamic/vvp:Deployment::orders';

let emu: EmulatorHandle;
let logs: { level: 'info' | 'warn'; message: string }[];
let h: Handlers;
let seq = 0;
let name: string;

beforeAll(async () => {
  emu = await startEmulator({ transitionDelayMs: 10, token: TOKEN });
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => {
  logs = [];
  emu.faults.clear();
  name = `orders-${++seq}`;
  h = createHandlers({
    clientFor: (c) => createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}), retryBaseMs: 1 }),
    log: {
      info: (message) => logs.push({ level: 'info', message }),
      warn: (message) => logs.push({ level: 'warn', message }),
    },
    env: {},
    pollMs: { initial: 5, max: 20 },
  });
});

const warnings = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);
const jar = TEST_ARTIFACT;
const connection = () => ({ baseUrl: emu.url, apiToken: TOKEN, resourceUrn: URN });
const inputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  providerInputs(name, connection(), over, spec);
const putInputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  putProviderInputs(name, connection(), over, spec);

/** Resolves once `check` holds (polling the in-process emulator), failing after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const vvp = (n = name) => emu.store.getDeployment('default', n);

async function createRunning(over: Record<string, unknown> = {}) {
  const created = await h.create(inputs(over, { state: 'RUNNING' }));
  return created;
}

describe('check and diff through the handlers', () => {
  it('logs check warnings and the change class of a diff', async () => {
    await h.check(
      inputs({ initFields: { spec: { template: { spec: { parallelism: 1 } } } } }),
      inputs({ initFields: { spec: { template: { spec: { parallelism: 2 } } } } }),
    );
    expect(warnings()).toEqual([expect.stringContaining('initFields apply at creation only')]);
    await h.diff('id-1', { ...inputs(), deploymentId: 'id-1' }, inputs({}, { state: 'RUNNING' }));
    expect(logs.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      `deployment default/${name}: change state`,
    ]);
  });
});

describe('create', () => {
  it('creates a PATCH deployment with initFields merged under it, stamped, and records the event', async () => {
    const r = await h.create(inputs({ initFields: { spec: { maxJobCreationAttempts: 2, state: 'RUNNING' } } }));
    const d = vvp();
    expect(r.id).toBe(d.metadata.id);
    expect(d.spec.maxJobCreationAttempts).toBe(2);
    expect(d.spec.state).toBe('CANCELLED');
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe('pulumi');
    expect(d.metadata.annotations?.['ververica.platform/urn']).toBe(URN);
    expect(r.outs).toMatchObject({
      deploymentId: d.metadata.id,
      actualState: 'CANCELLED',
      lastChange: 'none',
      resourceVersion: 1,
    });
    expect(emu.store.listEvents('default', { deploymentId: d.metadata.id }).map((e) => e.spec.message)).toContain(
      'Pulumi created deployment',
    );
  });
  it('makes exactly one lookup and one POST for a CANCELLED deployment', async () => {
    const before = emu.requests.length;
    await h.create(inputs());
    const deploymentRequests = emu.requests.slice(before).filter((r) => r.path.includes('/deployments'));
    expect(deploymentRequests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 201']);
  });
  it('records nonces present at creation as processed without triggering', async () => {
    const before = emu.writes().length;
    const r = await h.create(inputs({ savepointNonce: 4, restartNonce: 7 }));
    expect(r.outs).toMatchObject({ lastProcessedSavepointNonce: 4, lastProcessedRestartNonce: 7 });
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(0);
  });
  it('waits until a RUNNING deployment runs and reports the job', async () => {
    const r = await createRunning();
    expect(r.outs).toMatchObject({ actualState: 'RUNNING', jobId: expect.any(String) });
    expect(logs.some((l) => /actual state CANCELLED → (TRANSITIONING|RUNNING)/.test(l.message))).toBe(true);
  });
  it('adopts its own deployment after an interrupted create instead of making a duplicate', async () => {
    const first = await h.create(inputs());
    const again = await h.create(inputs());
    expect(again.id).toBe(first.id);
    expect(emu.store.listDeployments('default').filter((d) => d.metadata.name === name)).toHaveLength(1);
  });
  it('refuses a deployment with the same name that it does not own (NameConflict)', async () => {
    await h.create(inputs({ resourceUrn: 'urn:other' }));
    await expect(h.create(inputs())).rejects.toThrow(
      /already exists in VVP and is owned by "pulumi"; it was not touched\. Choose another name, or set `adopt: true`/,
    );
  });
  it('takes over a foreign deployment with adopt: true and stamps it', async () => {
    emu.store.createDeployment('default', {
      metadata: { name, namespace: 'default' },
      spec: { deploymentTargetName: 'default', template: { spec: { artifact: jar } } },
    });
    const r = await h.create(inputs({ adopt: true }));
    expect(r.id).toBe(vvp().metadata.id);
    expect(vvp().metadata.annotations?.['ververica.platform/urn']).toBe(URN);
  });
  it('creates with PUT in PUT mode', async () => {
    await h.create(putInputs());
    expect(
      emu
        .writes()
        .filter((w) => w.path.endsWith(`/deployments/${name}`))
        .map((w) => w.method),
    ).toEqual(['PUT']);
  });
  it('returns the id and outputs (with __provider) when the wait fails, so Pulumi records the resource', async () => {
    emu.faults.setBehaviour({ failJobs: name });
    const err = (await h
      .create(inputs({}, { state: 'RUNNING', maxJobCreationAttempts: 1 }))
      .catch((e: unknown) => e)) as { id?: string; properties?: Record<string, unknown>; message: string };
    expect(err.message).toMatch(/became FAILED/);
    expect(err.message).toMatch(/VVP events:/);
    expect(err.id).toBe(vvp().metadata.id);
    expect(err.properties?.[PROVIDER_KEY]).toBe('serialized');
  });
  it('times out with guidance when the state is not reached in time', async () => {
    await expect(h.create(inputs({ waitFor: { timeoutSeconds: 0.001 } }, { state: 'RUNNING' }))).rejects.toThrow(
      /timed out waiting for actual state RUNNING.*raise waitFor.timeoutSeconds/,
    );
  });
  it('never puts the token into an error', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/deployments$', status: 400, message: `bad ${TOKEN}` });
    const err = (await h.create(inputs()).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/failed with 400/);
    expect(err.message).not.toContain(TOKEN);
  });
  it('uses VVP_URL and VVP_API_TOKEN when the inputs name no connection', async () => {
    const withEnv = createHandlers({
      clientFor: (c) => createVvpClient(c.token ? { baseUrl: c.baseUrl, token: c.token } : { baseUrl: c.baseUrl }),
      log: { info: () => undefined, warn: () => undefined },
      env: { VVP_URL: emu.url, VVP_API_TOKEN: TOKEN },
    });
    const { baseUrl: _b, apiToken: _t, ...rest } = inputs();
    await expect(withEnv.create(rest)).resolves.toMatchObject({ id: expect.any(String) });
  });
  it('names every way to configure VVP when no URL is found', async () => {
    const { baseUrl: _b, ...rest } = inputs();
    await expect(h.create(rest)).rejects.toThrow(
      /no VVP URL; set `baseUrl` on the resource, the VVP_URL environment variable, or `pulumi config set vvp:baseUrl/,
    );
  });
});

describe('update', () => {
  it('projects a config change with exactly one PATCH and records the event', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({}, { maxJobCreationAttempts: 3 }));
    const writes = emu
      .writes()
      .slice(before)
      .filter((w) => w.path.includes('/deployments'));
    expect(writes.map((w) => w.method)).toEqual(['PATCH']);
    expect(vvp().spec.maxJobCreationAttempts).toBe(3);
    expect(r.outs.lastChange).toBe('config');
    expect(emu.store.listEvents('default', { deploymentId: c.id }).map((e) => e.spec.message)).toContain(
      'Pulumi projected deployment config (mode=PATCH)',
    );
  });
  it('in PUT mode reads first, resets omitted fields, and keeps system annotations and the description', async () => {
    const c = await h.create(putInputs({}, { maxJobCreationAttempts: 2 }));
    emu.store.patchDeployment('default', name, {
      metadata: { description: 'set in VVP', annotations: { 'com.dataartisans.appmanager.controller.x': 'keep' } },
    });
    const before = emu.requests.length;
    await h.update(
      c.id,
      c.outs,
      putInputs(
        {},
        {
          maxJobCreationAttempts: undefined,
          template: {
            spec: {
              artifact: jar,
              parallelism: 2,
              resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '2g' } },
            },
          },
        },
      ),
    );
    const reqs = emu.requests.slice(before).filter((r) => r.path.endsWith(`/deployments/${name}`));
    expect(reqs.map((r) => r.method)).toEqual(['GET', 'PUT']);
    const d = vvp();
    expect(d.spec.maxJobCreationAttempts).toBe(4); // back to VVP's default
    expect(d.spec.template?.spec?.parallelism).toBe(2);
    expect(d.metadata.description).toBe('set in VVP');
    expect(d.metadata.annotations?.['com.dataartisans.appmanager.controller.x']).toBe('keep');
  });
  it('waits for RUNNING after a state change and posts the state change event', async () => {
    const c = await h.create(inputs());
    const r = await h.update(c.id, c.outs, inputs({}, { state: 'RUNNING' }));
    expect(r.outs).toMatchObject({ actualState: 'RUNNING', lastChange: 'state', jobId: expect.any(String) });
    expect(emu.store.listEvents('default', { deploymentId: c.id }).map((e) => e.spec.message)).toContain(
      'Pulumi projected deployment config (mode=PATCH) including state change: CANCELLED → RUNNING',
    );
  });
  it('triggers one savepoint for a new savepointNonce while RUNNING and can wait for COMPLETED', async () => {
    const c = await createRunning({ savepointNonce: 1 });
    const before = emu.writes().length;
    const r = await h.update(
      c.id,
      c.outs,
      inputs({ savepointNonce: 2, waitFor: { savepoint: true } }, { state: 'RUNNING' }),
    );
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(1);
    expect(r.outs).toMatchObject({ lastChange: 'savepoint', lastProcessedSavepointNonce: 2, blockedNonces: [] });
    expect(r.outs.lastSavepoint).toMatchObject({
      nonce: 2,
      savepointId: expect.any(String),
      state: 'COMPLETED',
      location: expect.any(String),
    });
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.includes('/deployments/')),
    ).toHaveLength(0);
  });
  it('restarts the job for a new restartNonce and reports the new job id', async () => {
    const c = await createRunning();
    const r = await h.update(c.id, c.outs, inputs({ restartNonce: 1 }, { state: 'RUNNING' }));
    expect(r.outs).toMatchObject({ lastChange: 'restart', lastProcessedRestartNonce: 1, actualState: 'RUNNING' });
    expect(r.outs.jobId).not.toBe(c.outs.jobId);
    expect(vvp().spec.template?.metadata?.annotations?.['ververica.platform/restart-nonce']).toBe('1');
  });
  it('waits for the new job after a template change of a running deployment and reports its id', async () => {
    const c = await createRunning();
    const r = await h.update(
      c.id,
      c.outs,
      inputs({}, { state: 'RUNNING', template: { spec: { artifact: jar, parallelism: 3 } } }),
    );
    expect(r.outs).toMatchObject({ lastChange: 'config', actualState: 'RUNNING' });
    expect(r.outs.jobId).not.toBe(c.outs.jobId);
    expect(r.outs.jobId).toBe(vvp().status?.running?.jobId);
  });
  it('does not wait for a new job when the upgrade strategy is NONE', async () => {
    const c = await createRunning();
    const none = { state: 'RUNNING', upgradeStrategy: { kind: 'NONE' } };
    const first = await h.update(c.id, c.outs, inputs({}, none));
    const r = await h.update(
      c.id,
      first.outs,
      inputs({}, { ...none, template: { spec: { artifact: jar, parallelism: 3 } } }),
    );
    expect(r.outs.jobId).toBe(c.outs.jobId);
  });
  it('runs the savepoint before the restart when both nonces change', async () => {
    const c = await createRunning();
    const before = emu.writes().length;
    await h.update(c.id, c.outs, inputs({ savepointNonce: 1, restartNonce: 1 }, { state: 'RUNNING' }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => !w.path.endsWith('/events'))
        .map((w) => w.method + ' ' + w.path.split('/').pop()),
    ).toEqual(['POST savepoints', `PATCH ${name}`]);
  });
  it('blocks a nonce change while CANCELLED: warns, consumes it and records it', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ savepointNonce: 5 }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(0);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /SavepointBlocked: savepoint nonce 5 needs spec and actual state RUNNING \(spec CANCELLED, actual CANCELLED\)/,
      ),
    ]);
    expect(r.outs).toMatchObject({
      lastProcessedSavepointNonce: 5,
      blockedNonces: [{ kind: 'savepoint', value: 5, reason: expect.stringMatching(/^SavepointBlocked/) }],
    });
    // consumed: the same value again is no change
    expect((await h.diff(c.id, r.outs, inputs({ savepointNonce: 5 }))).changes).toBe(false);
  });
  it('projects the spec before processing nonces, so RUNNING plus a nonce in one update triggers', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ savepointNonce: 1 }, { state: 'RUNNING' }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(1);
    expect(r.outs.lastSavepoint).toMatchObject({ nonce: 1 });
  });
  it('makes no deployment write for a settings-only update', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ deletionPolicy: 'cancel' }));
    expect(emu.writes().length).toBe(before);
    expect(r.outs).toMatchObject({ deletionPolicy: 'cancel', lastChange: 'none' });
  });
});

describe('read (refresh)', () => {
  it('reports no drift when nothing changed', async () => {
    const c = await h.create(inputs());
    const r = await h.read(c.id, c.outs);
    expect(r.inputs?.deployment).toEqual(inputs().deployment);
    expect(warnings()).toEqual([]);
  });
  it('in PATCH mode reports drift of managed fields only and returns inputs so the next diff projects again', async () => {
    const c = await h.create(inputs({}, { maxJobCreationAttempts: 2 }));
    emu.store.patchDeployment('default', name, {
      spec: { maxJobCreationAttempts: 5, maxSavepointCreationAttempts: 9 },
    });
    const r = await h.read(c.id, c.outs);
    expect(warnings()).toEqual([expect.stringMatching(/changed outside Pulumi at spec\.maxJobCreationAttempts;/)]);
    expect((r.inputs?.deployment as { spec: Record<string, unknown> }).spec.maxJobCreationAttempts).toBe(5);
    expect(
      (r.inputs?.deployment as { spec: Record<string, unknown> }).spec.maxSavepointCreationAttempts,
    ).toBeUndefined();
    expect((await h.diff(c.id, r.props!, inputs({}, { maxJobCreationAttempts: 2 }))).changes).toBe(true);
  });
  it('in PUT mode reports drift of any field', async () => {
    const c = await h.create(putInputs());
    emu.store.patchDeployment('default', name, { spec: { maxSavepointCreationAttempts: 9 } });
    const r = await h.read(c.id, c.outs);
    expect(warnings()[0]).toMatch(/changed outside Pulumi at .*spec\.maxSavepointCreationAttempts/);
    expect((r.props?.deployment as { spec: Record<string, unknown> }).spec.maxSavepointCreationAttempts).toBe(9);
    expect((await h.diff(c.id, r.props!, putInputs())).changes).toBe(true);
  });
  it('reports a deployment deleted out of band as gone', async () => {
    const c = await h.create(inputs());
    emu.store.deleteDeployment('default', name);
    expect((await h.read(c.id, c.outs)).id).toBe('');
  });
});

describe('delete', () => {
  it('requireInactive refuses an active deployment with guidance', async () => {
    const c = await createRunning();
    await expect(h.delete(c.id, c.outs)).rejects.toThrow(
      /is RUNNING; deletionPolicy requireInactive deletes only inactive deployments.*Set deployment.spec.state to "CANCELLED" and run `pulumi up`/,
    );
    expect(vvp().status?.state).toBe('RUNNING');
  });
  it('requireInactive deletes an inactive deployment', async () => {
    const c = await h.create(inputs());
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('cancel sets CANCELLED, waits and deletes', async () => {
    const c = await createRunning({ deletionPolicy: 'cancel' });
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
    expect(
      emu
        .writes()
        .filter((w) => w.path.endsWith(`/deployments/${name}`))
        .map((w) => w.method),
    ).toEqual(['PATCH', 'DELETE']);
  });
  it('suspend takes the deployment to SUSPENDED before deleting', async () => {
    const c = await createRunning({ deletionPolicy: 'suspend' });
    await h.delete(c.id, c.outs);
    expect(logs.some((l) => /actual state .* → SUSPENDED/.test(l.message))).toBe(true);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('retain leaves the deployment in VVP', async () => {
    const c = await createRunning({ deletionPolicy: 'retain' });
    await h.delete(c.id, c.outs);
    expect(vvp().status?.state).toBe('RUNNING');
  });
  it('cancels a FAILED deployment whose spec state is RUNNING before deleting it', async () => {
    emu.faults.setBehaviour({ failJobs: name });
    const c = await h.create(inputs({ waitFor: { state: false } }, { state: 'RUNNING', maxJobCreationAttempts: 1 }));
    await until(() => vvp().status?.state === 'FAILED');
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('counts a deployment that is already gone as deleted', async () => {
    const c = await h.create(inputs());
    emu.store.deleteDeployment('default', name);
    await expect(h.delete(c.id, c.outs)).resolves.toBeUndefined();
  });
});
