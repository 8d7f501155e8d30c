/** Write protection of operator-managed deployments (vvp-3, ADR 0009): only the manager may write them over HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualScheduler, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../src/index';
import { call, D, jar, PLATFORM } from './support';

const ROOT = 'root-secret';
const OWNER = 'ververica.platform/owner';
let emu: EmulatorHandle;
let operator: Record<string, string>;
let someone: Record<string, string>;
const admin = { authorization: `Bearer ${ROOT}` };

async function start(options: EmulatorOptions = {}): Promise<void> {
  emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), token: ROOT, ...options });
  operator = { authorization: `Bearer ${emu.createToken('default', 'editor', 'operator')}` };
  someone = { authorization: `Bearer ${emu.createToken('default', 'editor', 'someone')}` };
}
afterEach(async () => {
  await emu.stop();
});

const managed = (name: string, owner = 'my-operator') => ({
  ...jar(name),
  metadata: { name, labels: { [OWNER]: owner }, annotations: { 'ververica.platform/cr-uid': 'uid-1' } },
});

describe('write protection', () => {
  it('the creating token may write; another token and the admin get 403 naming the owner and what to do', async () => {
    await start();
    expect((await call(emu, 'POST', D, managed('orders'), operator)).status).toBe(201);
    const patch = { spec: { template: { spec: { parallelism: 2 } } } };
    for (const headers of [someone, admin]) {
      const r = await call(emu, 'PATCH', `${D}/orders`, patch, headers);
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        "Deployment 'orders' is managed by the Kubernetes operator 'my-operator' (label ververica.platform/owner); vvp-3 refuses to patch it through the API: change its VvpDeployment custom resource instead (only namespaces/default/apitokens/operator, which made it operator-managed, may write it)",
      );
    }
    expect((await call(emu, 'PUT', `${D}/orders`, managed('orders'), someone)).status).toBe(403);
    expect((await call(emu, 'DELETE', `${D}/orders`, undefined, someone)).body.message).toContain('refuses to delete');
    const id = emu.store.getDeployment('default', 'orders').metadata.id;
    const sp = await call(
      emu,
      'POST',
      '/api/v1/namespaces/default/savepoints',
      { metadata: { deploymentId: id } },
      someone,
    );
    expect([sp.status, sp.body.message]).toEqual([403, expect.stringContaining('refuses to take a savepoint of')]);
    expect(emu.store.getDeployment('default', 'orders').spec.template?.spec?.parallelism).toBe(1);
    expect((await call(emu, 'PATCH', `${D}/orders`, patch, operator)).status).toBe(200);
    expect((await call(emu, 'GET', `${D}/orders`, undefined, someone)).status).toBe(200);
    expect((await call(emu, 'DELETE', `${D}/orders`, undefined, operator)).status).toBe(200);
  });

  it('allows anyone when the owner label is absent or says pulumi, and in-process Store writes', async () => {
    await start();
    await call(emu, 'POST', D, jar('plain'), operator);
    expect((await call(emu, 'PATCH', `${D}/plain`, { metadata: { labels: { a: 'b' } } }, someone)).status).toBe(200);
    await call(emu, 'POST', D, managed('stack', 'pulumi'), operator);
    expect((await call(emu, 'PATCH', `${D}/stack`, { metadata: { labels: { a: 'b' } } }, someone)).status).toBe(200);
    await call(emu, 'POST', D, managed('orders'), operator);
    emu.store.patchDeployment('default', 'orders', { spec: { template: { spec: { parallelism: 5 } } } });
    expect(emu.store.getDeployment('default', 'orders').spec.template?.spec?.parallelism).toBe(5);
  });

  it('the caller whose write puts the owner label on becomes the manager (adoption)', async () => {
    await start();
    await call(emu, 'POST', D, jar('legacy'), someone);
    const adopt = { metadata: { labels: { [OWNER]: 'my-operator' } } };
    expect((await call(emu, 'PATCH', `${D}/legacy`, adopt, operator)).status).toBe(200);
    expect((await call(emu, 'PATCH', `${D}/legacy`, { spec: { state: 'SUSPENDED' } }, someone)).status).toBe(403);
    expect(
      (await call(emu, 'PATCH', `${D}/legacy`, { metadata: { labels: { [OWNER]: null } } }, operator)).status,
    ).toBe(200);
    expect((await call(emu, 'PATCH', `${D}/legacy`, { spec: { state: 'SUSPENDED' } }, someone)).status).toBe(200);
  });

  it('survives a restart with --data-dir', async () => {
    const dir = path.join(os.tmpdir(), `vvp-protect-${process.pid}`);
    try {
      await start({ dataDir: dir });
      await call(emu, 'POST', D, managed('orders'), operator);
      await emu.stop();
      emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), token: ROOT, dataDir: dir });
      expect((await call(emu, 'PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } }, admin)).status).toBe(403);
    } finally {
      await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['vvp-2.4', { profile: 'vvp-2.4' }],
    ['lenient', { profile: 'lenient' }],
  ] as const)('%s has no write protection', async (_name, options) => {
    await start(options);
    await call(emu, 'POST', D, managed('orders'), operator);
    expect((await call(emu, 'PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } }, someone)).status).toBe(200);
  });

  it('without --token every request is the one anonymous caller: nothing is refused', async () => {
    emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler() });
    await call(emu, 'POST', D, managed('orders'));
    expect((await call(emu, 'PATCH', `${D}/orders`, { spec: { state: 'SUSPENDED' } })).status).toBe(200);
  });
});
