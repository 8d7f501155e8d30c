/** Deployment target deletion: refused while a deployment or a session cluster references it (M14). */
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { call as callOn, D, jar } from './support';

const T = '/api/v1/namespaces/default/deployment-targets';
const SC = '/api/v1/namespaces/default/sessionclusters';
let emu: EmulatorHandle;
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
beforeEach(async () => {
  emu = await startEmulator({ scheduler: new ManualScheduler() });
  await call('PUT', `${T}/t1`, {});
});
afterEach(async () => {
  await emu.stop();
});

describe('deployment target delete', () => {
  it('409 names every deployment (by name or by id) and session cluster that references it', async () => {
    const id = (await call('GET', `${T}/t1`)).body.metadata.id;
    await call('POST', D, jar('by-name', { deploymentTargetName: 't1' }));
    await call('POST', D, jar('by-id', { deploymentTargetName: undefined, deploymentTargetId: id }));
    await call('POST', SC, { metadata: { name: 'sc' }, spec: { state: 'STOPPED', deploymentTargetName: 't1' } });
    const r = await call('DELETE', `${T}/t1`);
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(
      "Deployment target 't1' is referenced by deployment 'by-name', deployment 'by-id', session cluster 'sc'; delete them or point them at another target first",
    );
    for (const p of [`${D}/by-name`, `${D}/by-id`, `${SC}/sc`]) expect((await call('DELETE', p)).status).toBe(200);
    expect((await call('DELETE', `${T}/t1`)).status).toBe(200);
    expect((await call('GET', `${T}/t1`)).status).toBe(404);
  });

  it('a session cluster alone blocks it', async () => {
    await call('POST', SC, { metadata: { name: 'sc' }, spec: { deploymentTargetName: 't1' } });
    const r = await call('DELETE', `${T}/t1`);
    expect(r.status).toBe(409);
    expect(r.body.message).toContain("session cluster 'sc'");
  });
});
