/** vvp:index:Savepoint handlers: trigger on RUNNING, register a location, wait for COMPLETED, retain or delete. */
import { errorForStatus } from '../../../vvp-client/src/index';
import { CONN, deployment, fake, handlers, logs, setOnSleep } from './fixture';

const inputs = (over: Record<string, unknown> = {}) => ({ deploymentName: 'orders', ...CONN, ...over });

describe('Savepoint handlers', () => {
  it('triggers a savepoint of a RUNNING deployment and waits until it is COMPLETED', async () => {
    const d = await deployment('orders', { state: 'RUNNING' });
    const h = handlers('Savepoint');
    const { id, outs } = await h.create(inputs());
    expect(fake.callsOf('triggerSavepoint')[0]!.args).toEqual(['default', d.metadata.id]);
    expect(outs).toMatchObject({
      deploymentId: d.metadata.id,
      savepointId: id,
      state: 'COMPLETED',
      origin: 'USER_REQUEST',
    });
    expect(outs.location).toMatch(/^s3:\/\/fake\//);
    expect((await h.diff(id, outs, inputs())).changes).toBe(false);
  });

  it('refuses a deployment that is not RUNNING, naming the fix', async () => {
    await deployment('orders', { state: 'CANCELLED' }, 'CANCELLED');
    await expect(handlers('Savepoint').create(inputs())).rejects.toThrow(
      'savepoint of deployment default/orders: the deployment is CANCELLED; VVP takes a savepoint only of a RUNNING deployment',
    );
  });

  it('registers an external location with the spec version annotation', async () => {
    const d = await deployment('orders', {}, 'CANCELLED');
    const h = handlers('Savepoint');
    setOnSleep(() => undefined);
    const original = fake.request.bind(fake);
    fake.request = (async (method, p, body, o) => {
      const r = (await original(method, p, body, o)) as Record<string, unknown>;
      return method === 'POST'
        ? { ...r, metadata: { ...(r.metadata as object), id: 'sp-1' }, status: { state: 'COMPLETED' } }
        : r;
    }) as typeof fake.request;
    const { id, outs } = await h.create(inputs({ savepointLocation: 's3://old/sp' }));
    expect(fake.callsOf('request')[0]!.args[2]).toEqual({
      metadata: {
        deploymentId: d.metadata.id,
        annotations: { 'com.dataartisans.appmanager.controller.deployment.spec.version': '1' },
      },
      spec: { savepointLocation: 's3://old/sp' },
    });
    expect(id).toBe('sp-1');
    expect(outs).toMatchObject({ state: 'COMPLETED', location: 's3://old/sp' });
  });

  it('retains on destroy by default, deletes with deletionPolicy delete, and explains a VVP that cannot', async () => {
    const h = handlers('Savepoint');
    await h.delete('sp-1', inputs());
    expect(fake.calls).toEqual([]);
    expect(logs).toContain(
      'info savepoint of deployment default/orders: deletionPolicy retain: savepoint sp-1 stays in VVP',
    );
    fake.request = (async (method: string, p: string) => {
      throw new (errorForStatus(405))('Method Not Allowed', 405, { method, path: p }, {});
    }) as typeof fake.request;
    await expect(h.delete('sp-1', inputs({ deletionPolicy: 'delete' }))).rejects.toThrow(
      'savepoint of deployment default/orders: this VVP cannot delete savepoints (DELETE /savepoints/sp-1 answered 405); set deletionPolicy to "retain"',
    );
  });

  it('names a missing deployment', async () => {
    await expect(handlers('Savepoint').create(inputs())).rejects.toThrow(
      'savepoint of deployment default/orders: deployment default/orders does not exist in VVP; create it first',
    );
  });
});
