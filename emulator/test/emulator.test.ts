import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../src/index';

let emu: EmulatorHandle;
afterEach(async () => {
  await emu?.stop();
});

async function call(
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(emu.url + p, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const D = '/api/v1/namespaces/default/deployments';
const jar = (name = 'orders', spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/a.jar' } } },
    ...spec,
  },
});

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const actual = async (name = 'orders') => (await call('GET', `${D}/${name}`)).body.status?.state;
const eventNames = async (id: string) =>
  (await call('GET', `/api/v1/namespaces/default/events?deploymentId=${id}`)).body.items.map(
    (e: any) => e.metadata.name,
  );
const jobs = async (id: string) => (await call('GET', `/api/v1/namespaces/default/jobs?deploymentId=${id}`)).body.items;

describe('deployments', () => {
  beforeEach(async () => {
    emu = await startEmulator({ transitionDelayMs: 2 });
  });

  it('creates with server defaults, ids and metadata, and refuses a duplicate name with 409', async () => {
    const r = await call('POST', D, jar());
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({ name: 'orders', namespace: 'default', resourceVersion: 1 });
    expect(r.body.metadata.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(r.body.metadata.annotations['com.dataartisans.appmanager.controller.deployment.spec.version']).toBe('1');
    expect(r.body.spec).toMatchObject({
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE' },
      maxJobCreationAttempts: 4,
    });
    expect(r.body.spec.template.spec).toMatchObject({ parallelism: 1, logging: { loggingProfile: 'default' } });
    expect((await call('POST', D, jar())).status).toBe(409);
  });

  it.each([
    ['an invalid name', { ...jar('Bad_Name') }, "Invalid deployment name 'Bad_Name'"],
    [
      'no deployment mode',
      { ...jar(), spec: { template: { spec: { artifact: { kind: 'JAR', jarUri: 'x' } } } } },
      'deployment mode',
    ],
    ['an unknown target', jar('a', { deploymentTargetName: 'nope' }), "Deployment target 'nope' does not exist"],
    [
      'no artifact locator',
      jar('a', { template: { spec: { artifact: { kind: 'SQLSCRIPT' } } } }),
      'artifact.sqlScript is required',
    ],
    ['an unknown state', jar('a', { state: 'PAUSED' }), "Invalid spec.state 'PAUSED'"],
    [
      'a tiny cpu',
      jar('a', {
        template: { spec: { artifact: { kind: 'JAR', jarUri: 'x' }, resources: { jobmanager: { cpu: 0.01 } } } },
      }),
      'at least 0.1',
    ],
  ])('answers 400 with a message for %s', async (_n, body, message) => {
    const r = await call('POST', D, body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
  });

  it('PATCH merges objects, replaces arrays, removes nulls and bumps versions', async () => {
    await call(
      'POST',
      D,
      jar('orders', {
        template: {
          spec: {
            artifact: { kind: 'JAR', jarUri: 'x', additionalDependencies: ['a', 'b'] },
            flinkConfiguration: { a: '1', b: '2' },
          },
        },
      }),
    );
    const r = await call('PATCH', `${D}/orders`, {
      spec: {
        template: { spec: { artifact: { additionalDependencies: ['c'] }, flinkConfiguration: { b: null, c: 3 } } },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.spec.template.spec.artifact).toMatchObject({
      kind: 'JAR',
      jarUri: 'x',
      additionalDependencies: ['c'],
    });
    expect(r.body.spec.template.spec.flinkConfiguration).toEqual({ a: '1', c: '3' });
    expect(r.body.metadata.resourceVersion).toBe(2);
    expect(r.body.metadata.annotations['com.dataartisans.appmanager.controller.deployment.spec.version']).toBe('2');
    const stale = await call('PATCH', `${D}/orders`, {
      metadata: { resourceVersion: 1 },
      spec: { state: 'CANCELLED' },
    });
    expect(stale.status).toBe(409);
    expect((await call('PATCH', `${D}/orders`, { metadata: { name: 'renamed' } })).status).toBe(400);
  });

  it('PUT upserts: 201 on create, 200 on replace; omitted fields reset to defaults; description never changes', async () => {
    const created = await call('PUT', `${D}/orders`, {
      ...jar(),
      metadata: { name: 'orders', namespace: 'default', description: 'first' },
    });
    expect(created.status).toBe(201);
    await call('PATCH', `${D}/orders`, {
      metadata: { description: 'patched' },
      spec: { template: { spec: { parallelism: 5 } } },
    });
    const replaced = await call('PUT', `${D}/orders`, {
      ...jar(),
      metadata: { name: 'orders', namespace: 'default', description: 'put' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.spec.template.spec.parallelism).toBe(1);
    expect(replaced.body.metadata.description).toBe('patched');
    expect(replaced.body.metadata.id).toBe(created.body.metadata.id);
  });

  it('DELETE needs desired state CANCELLED or SUSPENDED', async () => {
    await call('POST', D, jar('orders', { state: 'RUNNING' }));
    const refused = await call('DELETE', `${D}/orders`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('CANCELLED');
    await call('PATCH', `${D}/orders`, { spec: { state: 'CANCELLED' } });
    expect((await call('DELETE', `${D}/orders`)).status).toBe(200);
    expect((await call('GET', `${D}/orders`)).status).toBe(404);
  });

  it('answers 404 for an unknown namespace', async () => {
    const r = await call('GET', '/api/v1/namespaces/nope/deployments');
    expect(r.status).toBe(404);
    expect(r.body.message).toContain("Namespace 'nope'");
  });

  it('accepts YAML bodies', async () => {
    const yaml =
      'metadata:\n  name: yml\nspec:\n  deploymentTargetName: default\n  template:\n    spec:\n      artifact: {kind: SQLSCRIPT, sqlScript: "SELECT 1"}\n';
    const r = await call('POST', D, yaml, { 'content-type': 'application/yaml' });
    expect(r.status).toBe(201);
    expect(r.body.spec.template.spec.artifact.sqlScript).toBe('SELECT 1');
  });
});

describe('state machine', () => {
  beforeEach(async () => {
    emu = await startEmulator({ transitionDelayMs: 2 });
  });

  it('starts a job on RUNNING, passing through TRANSITIONING, with VVP event names', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING' }));
    await until(async () => (await actual()) === 'RUNNING');
    const d = (await call('GET', `${D}/orders`)).body;
    const [job] = await jobs(body.metadata.id);
    expect(d.status.running.jobId).toBe(job.metadata.id);
    expect(job.status.started.flinkJobId).toBe(job.metadata.id.replace(/-/g, ''));
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
    await until(async () => (await actual()) === 'RUNNING');
    await call('PATCH', `${D}/orders`, {
      spec: { template: { metadata: { annotations: { 'ververica.platform/restart-nonce': '1' } } } },
    });
    await until(async () => (await jobs(body.metadata.id)).length === 2 && (await actual()) === 'RUNNING');
    expect((await jobs(body.metadata.id)).map((j: any) => j.status.state).sort()).toEqual(['STARTED', 'TERMINATED']);
    const sps = (await call('GET', `/api/v1/namespaces/default/savepoints?deploymentId=${body.metadata.id}`)).body
      .items;
    expect(sps.map((s: any) => s.metadata.origin)).toEqual(origins);
  });

  it('upgrade strategy NONE leaves the running job alone', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING', upgradeStrategy: { kind: 'NONE' } }));
    await until(async () => (await actual()) === 'RUNNING');
    await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 4 } } } });
    await new Promise((r) => setTimeout(r, 30));
    expect(await jobs(body.metadata.id)).toHaveLength(1);
  });

  it('suspends through a SUSPEND savepoint and cancels without one', async () => {
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING' }));
    await until(async () => (await actual()) === 'RUNNING');
    await call('PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } });
    await until(async () => (await actual()) === 'SUSPENDED');
    const sps = (await call('GET', `/api/v1/namespaces/default/savepoints?deploymentId=${body.metadata.id}`)).body
      .items;
    expect(sps.map((s: any) => [s.metadata.origin, s.status.state])).toEqual([['SUSPEND', 'COMPLETED']]);
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    await until(async () => (await actual()) === 'RUNNING');
    await call('PATCH', `${D}/orders`, { spec: { state: 'CANCELLED' } });
    await until(async () => (await actual()) === 'CANCELLED');
    const after = (await call('GET', `/api/v1/namespaces/default/savepoints?deploymentId=${body.metadata.id}`)).body
      .items;
    expect(after).toHaveLength(1);
  });

  it('goes FAILED after maxJobCreationAttempts failed starts, and retries on the next spec change', async () => {
    emu.faults.setBehaviour({ failJobs: 'orders' });
    const { body } = await call('POST', D, jar('orders', { state: 'RUNNING', maxJobCreationAttempts: 2 }));
    await until(async () => (await actual()) === 'FAILED');
    expect(await jobs(body.metadata.id)).toHaveLength(2);
    expect(await eventNames(body.metadata.id)).toEqual(
      expect.arrayContaining(['FAILED_CREATING_A_NEW_JOB', 'TOO_MANY_FAILED_JOB_CREATION_ATTEMPTS']),
    );
    emu.faults.clear();
    await call('PATCH', `${D}/orders`, { spec: { template: { spec: { parallelism: 2 } } } });
    await until(async () => (await actual()) === 'RUNNING');
  });

  it('finite jobs end FINISHED', async () => {
    emu.faults.setBehaviour({ finishJobs: true });
    await call('POST', D, jar('orders', { state: 'RUNNING' }));
    await until(async () => (await actual()) === 'FINISHED');
  });

  it('savepoints run STARTED → COMPLETED, or FAILED under a fault; none without a running job', async () => {
    const { body } = await call('POST', D, jar('orders'));
    const refused = await call('POST', '/api/v1/namespaces/default/savepoints', {
      metadata: { deploymentId: body.metadata.id },
    });
    expect(refused.status).toBe(400);
    await call('PATCH', `${D}/orders`, { spec: { state: 'RUNNING' } });
    await until(async () => (await actual()) === 'RUNNING');
    const sp = await call('POST', '/api/v1/namespaces/default/savepoints', {
      metadata: { deploymentId: body.metadata.id },
    });
    expect(sp.body).toMatchObject({ metadata: { origin: 'USER_REQUEST' }, status: { state: 'STARTED' } });
    expect(sp.body.spec.savepointLocation).toContain(
      `/namespaces/default/deployments/${body.metadata.id}/${sp.body.metadata.id}`,
    );
    await until(
      async () =>
        (await call('GET', `/api/v1/namespaces/default/savepoints/${sp.body.metadata.id}`)).body.status.state ===
        'COMPLETED',
    );
    emu.faults.setBehaviour({ failSavepoints: true });
    const bad = await call('POST', '/api/v1/namespaces/default/savepoints', {
      metadata: { deploymentId: body.metadata.id },
    });
    await until(
      async () =>
        (await call('GET', `/api/v1/namespaces/default/savepoints/${bad.body.metadata.id}`)).body.status.state ===
        'FAILED',
    );
  });

  it('a failing suspension savepoint ends FAILED after maxSavepointCreationAttempts', async () => {
    await call('POST', D, jar('orders', { state: 'RUNNING', maxSavepointCreationAttempts: 2 }));
    await until(async () => (await actual()) === 'RUNNING');
    emu.faults.setBehaviour({ failSavepoints: 'orders' });
    await call('PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } });
    await until(async () => (await actual()) === 'FAILED');
  });
});

describe('auth, faults, persistence and the command line', () => {
  it('requires a Bearer token when configured and applies roles of created tokens', async () => {
    emu = await startEmulator({ token: 'root', transitionDelayMs: 2 });
    expect((await call('GET', D)).status).toBe(401);
    expect((await call('GET', D, undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    const made = await call(
      'POST',
      '/apitokens/v1/namespaces/default/apitokens',
      { name: 'namespaces/default/apitokens/ci', role: 'viewer' },
      { authorization: 'Bearer root' },
    );
    expect(made.body.apiToken.secret).toBeDefined();
    const dup = await call(
      'POST',
      '/apitokens/v1/namespaces/default/apitokens',
      { name: 'namespaces/default/apitokens/ci', role: 'viewer' },
      { authorization: 'Bearer root' },
    );
    expect(dup.status).toBe(409);
    const viewer = { authorization: `Bearer ${made.body.apiToken.secret}` };
    expect((await call('GET', D, undefined, viewer)).status).toBe(200);
    expect((await call('POST', D, jar(), viewer)).status).toBe(403);
    expect((await call('GET', '/apitokens/v1/namespaces/default/apitokens', undefined, viewer)).status).toBe(403);
    const listed = await call('GET', '/apitokens/v1/namespaces/default/apitokens', undefined, {
      authorization: 'Bearer root',
    });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.apiToken.secret);
  });

  it('injects route faults over the admin endpoint and logs requests', async () => {
    emu = await startEmulator({ transitionDelayMs: 2 });
    await call('POST', '/__emulator/faults', {
      routes: [{ method: 'GET', path: '/deployments$', status: 503, times: 1 }],
    });
    expect((await call('GET', D)).status).toBe(503);
    expect((await call('GET', D)).status).toBe(200);
    const log = (await call('GET', '/__emulator/requests')).body.requests;
    expect(log.map((r: any) => `${r.method} ${r.status}`)).toEqual(['GET 503', 'GET 200']);
    await call('POST', D, jar());
    expect(emu.writes(/deployments/)).toHaveLength(1);
  });

  it('keeps deployments across a restart with --data-dir', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vvp-emu-'));
    try {
      emu = await startEmulator({ transitionDelayMs: 2, dataDir: dir });
      const { body } = await call('POST', D, jar('kept', { state: 'RUNNING' }));
      await until(async () => (await actual('kept')) === 'RUNNING');
      await emu.stop();
      emu = await startEmulator({ transitionDelayMs: 2, dataDir: dir });
      const again = (await call('GET', `${D}/kept`)).body;
      expect(again.metadata.id).toBe(body.metadata.id);
      expect(again.status.state).toBe('RUNNING');
    } finally {
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
