import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createVvpClient, type RequestReport, type VvpClient } from '../src/client';
import { isTransient } from '../src/errors';

const TOKEN = 'owner-token-do-not-leak';
const jar = {
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    state: 'CANCELLED' as const,
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR' as const, jarUri: 's3://b/orders.jar' } } },
  },
};

let emu: EmulatorHandle;
let client: VvpClient;
const reports: RequestReport[] = [];

beforeEach(async () => {
  // profile vvp-3 (ADR 0009) with target `default`, which the bodies below name
  emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 1, token: TOKEN });
  reports.length = 0;
  client = createVvpClient({ baseUrl: emu.url, token: TOKEN, retryBaseMs: 1, onRequest: (r) => reports.push(r) });
});
afterEach(() => emu.stop());

describe('VvpClient against the emulator', () => {
  it('creates, reads, lists by label, patches, puts and deletes a deployment', async () => {
    const created = await client.createDeployment('default', {
      ...jar,
      metadata: { ...jar.metadata, labels: { team: 'a' } },
    });
    expect(created.metadata.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.getDeployment('default', 'orders')).metadata.id).toBe(created.metadata.id);
    expect((await client.getDeployment('default', created.metadata.id)).metadata.name).toBe('orders');
    expect(await client.listDeployments('default', { labelSelector: { team: 'a' } })).toHaveLength(1);
    expect(await client.listDeployments('default', { labelSelector: 'team=b' })).toHaveLength(0);
    const patched = await client.patchDeployment('default', 'orders', {
      spec: { template: { spec: { parallelism: 3 } } },
    });
    expect(patched.spec.template?.spec?.parallelism).toBe(3);
    expect(patched.spec.template?.spec?.artifact?.jarUri).toBe('s3://b/orders.jar');
    const put = await client.putDeployment('default', 'orders', jar);
    expect(put.spec.template?.spec?.parallelism).toBe(1);
    await client.deleteDeployment('default', 'orders');
    expect(await client.findDeployment('default', 'orders')).toBeUndefined();
  });

  it('maps statuses to typed errors carrying VVP message', async () => {
    await client.createDeployment('default', jar);
    await expect(client.createDeployment('default', jar)).rejects.toMatchObject({ name: 'ConflictError', status: 409 });
    await expect(client.getDeployment('default', 'missing')).rejects.toMatchObject({
      name: 'NotFoundError',
      status: 404,
    });
    await expect(
      client.createDeployment('default', { metadata: { name: 'Bad_Name', namespace: 'default' } }),
    ).rejects.toMatchObject({
      name: 'BadRequestError',
      message: expect.stringContaining("Invalid deployment name 'Bad_Name'"),
    });
    const anon = createVvpClient({ baseUrl: emu.url });
    await expect(anon.listDeployments('default')).rejects.toMatchObject({ name: 'UnauthorizedError', status: 401 });
  });

  it('applies token roles: a viewer may read but not write', async () => {
    const viewer = createVvpClient({ baseUrl: emu.url, token: emu.createToken('default', 'viewer') });
    expect(await viewer.listDeployments('default')).toEqual([]);
    await expect(viewer.createDeployment('default', jar)).rejects.toMatchObject({ status: 403 });
    const editor = createVvpClient({ baseUrl: emu.url, token: emu.createToken('default', 'editor') });
    await expect(editor.createDeployment('default', jar)).resolves.toMatchObject({ metadata: { name: 'orders' } });
  });

  it('retries idempotent calls on 5xx with backoff, and reports every attempt', async () => {
    await client.createDeployment('default', jar);
    emu.faults.addRoute({ method: 'GET', path: '/deployments/orders$', status: 503, times: 2 });
    const sleeps: number[] = [];
    const c = createVvpClient({
      baseUrl: emu.url,
      token: TOKEN,
      retryBaseMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      onRequest: (r) => reports.push(r),
    });
    reports.length = 0;
    await expect(c.getDeployment('default', 'orders')).resolves.toMatchObject({ metadata: { name: 'orders' } });
    expect(reports.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(sleeps).toEqual([50, 100]);
  });

  it('does not retry a POST on 5xx', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/deployments$', status: 500, times: 1 });
    await expect(client.createDeployment('default', jar)).rejects.toMatchObject({ name: 'ServerError' });
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('gives up after the retry budget with the last error', async () => {
    emu.faults.addRoute({ method: 'GET', status: 502 });
    const c = createVvpClient({ baseUrl: emu.url, token: TOKEN, retries: 2, retryBaseMs: 1 });
    const err = await c.status().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ServerError', status: 502 });
    expect(isTransient(err)).toBe(true);
    expect(emu.requests).toHaveLength(3);
  });

  it('turns dropped connections and timeouts into network errors', async () => {
    emu.faults.addRoute({ drop: true, times: 1 });
    const c = createVvpClient({ baseUrl: emu.url, token: TOKEN, retries: 0 });
    await expect(c.status()).rejects.toMatchObject({ name: 'VvpNetworkError' });
    emu.faults.addRoute({ latencyMs: 300, times: 1 });
    const slow = createVvpClient({ baseUrl: emu.url, token: TOKEN, retries: 0, timeoutMs: 50 });
    await expect(slow.status()).rejects.toMatchObject({
      name: 'VvpNetworkError',
      message: expect.stringContaining('timed out after 50 ms'),
    });
  });

  it('never puts the token in an error, its message or its body', async () => {
    emu.faults.addRoute({ status: 500, message: `backend echoed ${TOKEN}` });
    const c = createVvpClient({ baseUrl: emu.url, token: TOKEN, retries: 0 });
    const err = await c.status().catch((e: unknown) => e);
    expect(String((err as Error).message)).not.toContain(TOKEN);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect((err as Error).stack).not.toContain(TOKEN);
    await emu.stop();
    const down = await c.status().catch((e: unknown) => e);
    expect(down).toMatchObject({ name: 'VvpNetworkError' });
    expect(JSON.stringify(down) + String((down as Error).message)).not.toContain(TOKEN);
    emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 1 });
  });

  it('triggers savepoints, lists jobs and events, and posts EXTERNAL events', async () => {
    const d = await client.createDeployment('default', { ...jar, spec: { ...jar.spec, state: 'RUNNING' } });
    await waitFor(async () => (await client.getDeployment('default', 'orders')).status?.state === 'RUNNING');
    const sp = await client.triggerSavepoint('default', d.metadata.id);
    expect(sp.status?.state).toBe('STARTED');
    await waitFor(async () => (await client.getSavepoint('default', sp.metadata.id)).status?.state === 'COMPLETED');
    expect(await client.listSavepoints('default', { deploymentId: d.metadata.id })).toHaveLength(1);
    expect((await client.listJobs('default', { deploymentId: d.metadata.id })).map((j) => j.status?.state)).toEqual([
      'STARTED',
    ]);
    await client.createEvent('default', { deploymentId: d.metadata.id, message: 'Pulumi created deployment' });
    const events = await client.listEvents('default', { deploymentId: d.metadata.id });
    expect(events.find((e) => e.metadata.name === 'EXTERNAL')?.spec.message).toBe('Pulumi created deployment');
    const registered = await client.registerSavepoint('default', d.metadata.id, 's3://ext/sp-1');
    expect(registered).toMatchObject({
      metadata: { origin: 'COPIED' },
      status: { state: 'COMPLETED' },
      spec: { savepointLocation: 's3://ext/sp-1' },
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
