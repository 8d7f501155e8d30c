/** vvp:index:DeploymentDefaults handlers: PATCH of the managed fields only, release on delete, drift of managed fields. */
import { CONN, fake, handlers, logs, writes } from './fixture';

const path = '/api/v1/namespaces/default/deployment-defaults';
const inputs = (spec: Record<string, unknown>) => ({ spec, ...CONN });

describe('DeploymentDefaults handlers', () => {
  beforeEach(() => {
    // another writer's field, which the resource must never touch
    fake.objects.set(path, { kind: 'DeploymentDefaults', spec: { maxJobCreationAttempts: 4, parallelism: 1 } });
  });

  it('patches only the managed fields and reports them as VVP holds them', async () => {
    const h = handlers('DeploymentDefaults');
    const { id, outs } = await h.create(inputs({ parallelism: 2, restoreStrategy: { kind: 'LATEST_STATE' } }));
    expect(id).toBe('default');
    expect(fake.callsOf('request').map((c) => c.args)).toEqual([
      ['PATCH', path, { spec: { parallelism: 2, restoreStrategy: { kind: 'LATEST_STATE' } } }],
    ]);
    expect(fake.objects.get(path)!.spec).toEqual({
      maxJobCreationAttempts: 4,
      parallelism: 2,
      restoreStrategy: { kind: 'LATEST_STATE' },
    });
    expect(outs.observedSpec).toEqual({ parallelism: 2, restoreStrategy: { kind: 'LATEST_STATE' } });
  });

  it('updates in place and warns about the fields it stops managing', async () => {
    const h = handlers('DeploymentDefaults');
    const { id, outs } = await h.create(inputs({ parallelism: 2, restoreStrategy: { kind: 'LATEST_STATE' } }));
    await h.update(id, outs, inputs({ parallelism: 3 }));
    expect(fake.callsOf('request').at(-1)!.args).toEqual(['PATCH', path, { spec: { parallelism: 3 } }]);
    expect(logs).toContain(
      'warn deployment defaults of namespace default: no longer managed, left as VVP holds them: restoreStrategy.kind',
    );
  });

  it('reads a managed field changed out of band into the inputs, ignoring the others', async () => {
    const h = handlers('DeploymentDefaults');
    const { id, outs } = await h.create(inputs({ parallelism: 2 }));
    fake.objects.get(path)!.spec = { maxJobCreationAttempts: 9, parallelism: 5 };
    expect((await h.read(id, outs)).inputs).toMatchObject({ spec: { parallelism: 5 } });
  });

  it('releases on delete: no write, the values stay', async () => {
    const h = handlers('DeploymentDefaults');
    const { id } = await h.create(inputs({ parallelism: 2 }));
    await h.delete(id, inputs({ parallelism: 2 }));
    expect(writes()).toEqual([`PATCH ${path}`]);
    expect(fake.objects.get(path)!.spec).toMatchObject({ parallelism: 2, maxJobCreationAttempts: 4 });
  });
});
