/** vvp:index:DeploymentTarget handlers: create, no-op diff, metadata update, replace by diff, delete refused while referenced. */
import { CONN, deployment, fake, handlers, logs, writes } from './fixture';

const inputs = (over: Record<string, unknown> = {}) => ({
  name: 'jobs',
  kubernetesNamespace: 'vvp-jobs',
  ...CONN,
  ...over,
});
const path = '/api/v1/namespaces/default/deployment-targets';

describe('DeploymentTarget handlers', () => {
  it('creates the target with its Kubernetes namespace and reports its id', async () => {
    const h = handlers('DeploymentTarget');
    const { id, outs } = await h.create(inputs({ labels: { team: 'data' } }));
    expect(fake.objects.get(`${path}/jobs`)).toMatchObject({
      metadata: { name: 'jobs', namespace: 'default', labels: { team: 'data' } },
      spec: { kubernetes: { namespace: 'vvp-jobs' } },
    });
    expect(outs).toMatchObject({ targetId: id, name: 'jobs', namespace: 'default', kubernetesNamespace: 'vvp-jobs' });
  });

  it('finds no change between its outputs and the same inputs', async () => {
    const h = handlers('DeploymentTarget');
    const { id, outs } = await h.create(inputs());
    expect((await h.diff(id, outs, inputs())).changes).toBe(false);
    const edit = await h.diff(id, outs, inputs({ kubernetesNamespace: 'other' }));
    expect(edit).toMatchObject({ changes: true, replaces: ['kubernetesNamespace'], deleteBeforeReplace: true });
  });

  it('updates labels with a PUT of the whole target', async () => {
    const h = handlers('DeploymentTarget');
    const { id, outs } = await h.create(inputs());
    await h.update(id, outs, inputs({ labels: { team: 'b' } }));
    expect(writes()).toEqual([`POST ${path}`, `PUT ${path}/jobs`]);
    expect(fake.objects.get(`${path}/jobs`)).toMatchObject({ metadata: { labels: { team: 'b' } } });
  });

  it('names the deployments and session clusters that keep VVP from deleting it', async () => {
    const h = handlers('DeploymentTarget');
    const { id } = await h.create(inputs());
    await deployment('orders', { deploymentTargetName: 'jobs' });
    fake.objects.set('/api/v1/namespaces/default/sessionclusters/shared', {
      metadata: { name: 'shared' },
      spec: { deploymentTargetName: 'jobs' },
    });
    fake.fail({ method: 'request', status: 409, message: 'in use', times: 1 });
    await expect(h.delete(id, inputs())).rejects.toThrow(
      'deployment target default/jobs: VVP refuses to delete it while it is referenced by deployment orders, session cluster shared; delete or move those first',
    );
  });

  it('deletes it, and a target gone already counts as deleted', async () => {
    const h = handlers('DeploymentTarget');
    const { id } = await h.create(inputs());
    await h.delete(id, inputs());
    expect(fake.objects.has(`${path}/jobs`)).toBe(false);
    await expect(h.delete(id, inputs())).resolves.toBeUndefined();
    expect(logs).toContain('info deployment target default/jobs: deleted');
  });

  it('refuses to take over a target of the same name', async () => {
    const h = handlers('DeploymentTarget');
    await h.create(inputs());
    await expect(h.create(inputs())).rejects.toThrow('exists in VVP already and is not managed by this stack');
  });

  it('reports a target deleted out of band as gone and reads drift into the inputs', async () => {
    const h = handlers('DeploymentTarget');
    const { id, outs } = await h.create(inputs());
    (fake.objects.get(`${path}/jobs`)!.metadata as Record<string, unknown>).labels = { by: 'hand' };
    expect((await h.read(id, outs)).inputs).toMatchObject({ labels: { by: 'hand' } });
    fake.objects.delete(`${path}/jobs`);
    expect(await h.read(id, outs)).toEqual({ id: '' });
  });
});
