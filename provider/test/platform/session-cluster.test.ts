/** vvp:index:SessionCluster handlers: bounded waits for the state, PATCH of edits, stop before delete, 409 naming users. */
import { ConflictError } from '../../../vvp-client/src/index';
import { CONN, deployment, fake, handlers, logs, setOnSleep, settleAll, writes } from './fixture';

const path = '/api/v1/namespaces/default/sessionclusters/shared';
const inputs = (over: Record<string, unknown> = {}) => ({
  name: 'shared',
  deploymentTargetName: 'jobs',
  flinkVersion: '1.17',
  numberOfTaskManagers: 1,
  ...CONN,
  ...over,
});
const stored = () => fake.objects.get(path) as { spec: Record<string, unknown>; status?: { state?: string } };

describe('SessionCluster handlers', () => {
  it('creates a RUNNING cluster and waits until VVP reports RUNNING', async () => {
    const h = handlers('SessionCluster');
    const { id, outs } = await h.create(inputs());
    expect(stored().spec).toEqual({
      state: 'RUNNING',
      deploymentTargetName: 'jobs',
      flinkVersion: '1.17',
      numberOfTaskManagers: 1,
    });
    expect(outs).toMatchObject({ sessionClusterId: id, actualState: 'RUNNING', state: 'RUNNING' });
    expect((await h.diff(id, outs, inputs())).changes).toBe(false);
  });

  it('patches an edit and waits again; a state change stops the cluster', async () => {
    const h = handlers('SessionCluster');
    const { id, outs } = await h.create(inputs());
    const edited = await h.update(id, outs, inputs({ numberOfTaskManagers: 2, state: 'STOPPED' }));
    expect(writes()).toEqual([`POST /api/v1/namespaces/default/sessionclusters`, `PATCH ${path}`]);
    expect(stored().spec).toMatchObject({ numberOfTaskManagers: 2, state: 'STOPPED' });
    expect(edited.outs).toMatchObject({ actualState: 'STOPPED' });
  });

  it('ends the wait on FAILED with VVP failure message, recording the cluster', async () => {
    const h = handlers('SessionCluster');
    setOnSleep(() => {
      stored().status = { state: 'FAILED', failure: { message: 'image not found' } } as never;
    });
    await expect(h.create(inputs())).rejects.toMatchObject({
      message: expect.stringContaining(
        'session cluster default/shared: waiting for state RUNNING, the session cluster became FAILED: image not found',
      ),
      id: expect.any(String),
    });
  });

  it('times out with the fix when the cluster never gets there', async () => {
    let t = 0;
    const h = handlers('SessionCluster', () => (t += 1000));
    setOnSleep(() => {
      stored().status = { state: 'STARTING' };
    });
    await expect(h.create(inputs({ waitFor: { timeoutSeconds: 5 } }))).rejects.toThrow(
      'session cluster default/shared: timed out waiting for state RUNNING (last seen STARTING); raise waitFor.timeoutSeconds',
    );
  });

  it('stops the cluster before deleting it', async () => {
    const h = handlers('SessionCluster');
    const { id } = await h.create(inputs());
    await h.delete(id, inputs());
    expect(writes()).toEqual(['POST /api/v1/namespaces/default/sessionclusters', `PATCH ${path}`, `DELETE ${path}`]);
    expect(logs).toContain('info session cluster default/shared: set the state to STOPPED before deleting');
  });

  it('names the deployments that keep VVP from deleting it', async () => {
    const h = handlers('SessionCluster');
    const { id } = await h.create(inputs({ state: 'STOPPED' }));
    settleAll();
    await deployment('clicks', { sessionClusterName: 'shared' });
    const original = fake.request.bind(fake);
    fake.request = (async (method, p, body, options) => {
      if (method === 'DELETE') throw new ConflictError('in use', 409, { method, path: p }, {});
      return original(method, p, body, options);
    }) as typeof fake.request;
    await expect(h.delete(id, inputs({ state: 'STOPPED' }))).rejects.toThrow(
      'session cluster default/shared: VVP refuses to stop or delete it while deployment(s) clicks use it; delete those deployments or move them to another cluster first',
    );
  });
});
