/** Deployments over HTTP: VVP's answers, the model's field types, and keys that must stay plain keys. */
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { call as callOn, D, jar, PLATFORM } from './support';

let emu: EmulatorHandle;
beforeEach(async () => {
  emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler() });
});
afterEach(async () => {
  await emu.stop();
});
const call = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  callOn(emu, method, p, body, headers);

describe('deployments', () => {
  it('creates with server defaults, ids and metadata, and refuses a duplicate name with 409', async () => {
    const r = await call('POST', D, jar());
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({ name: 'orders', namespace: 'default', resourceVersion: 1 });
    expect(r.body.metadata.createdAt).toBe('2026-01-01T00:00:00.000000Z');
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
      metadata: { name: 'orders', namespace: 'default', description: 'put', displayName: null },
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

describe('model types on write', () => {
  it.each([
    [
      'labels as a number',
      { metadata: { name: 'a', labels: 42 } },
      'Invalid metadata.labels 42: must be an object of strings',
    ],
    ['annotations as a string', { metadata: { name: 'a', annotations: 'str' } }, "Invalid metadata.annotations 'str'"],
    ['a label value as a number', { metadata: { name: 'a', labels: { team: 7 } } }, 'Invalid metadata.labels.team 7'],
    ['a name as an object', { metadata: { name: { toString: 'x' } } }, 'Invalid metadata.name an object'],
    ['metadata as an array', { metadata: [1] }, 'Invalid metadata an array: must be an object'],
    [
      'parallelism as a string',
      jar('a', { template: { spec: { artifact: { kind: 'JAR', jarUri: 'x' }, parallelism: '2' } } }),
      "Invalid spec.template.spec.parallelism '2': must be an integer",
    ],
    [
      'a flinkConfiguration value as an object',
      jar('a', { template: { spec: { artifact: { kind: 'JAR', jarUri: 'x' }, flinkConfiguration: { k: {} } } } }),
      'Invalid spec.template.spec.flinkConfiguration.k an object: must be a string, number or boolean',
    ],
    ['a template as a string', jar('a', { template: 'x' }), "Invalid spec.template 'x': must be an object"],
  ])('POST with %s answers 400 naming the field and value', async (_n, body: any, message) => {
    const r = await call('POST', D, { ...jar('a'), ...body, spec: body.spec ?? jar('a').spec });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
    expect((await call('GET', `${D}/a`)).status).toBe(404);
  });

  it('PATCH {"spec": null} and wrong types answer 400 and keep the deployment as it was', async () => {
    await call('POST', D, jar());
    const nulled = await call('PATCH', `${D}/orders`, { spec: null });
    expect(nulled.status).toBe(400);
    expect(nulled.body.message).toContain('Invalid spec null');
    const labels = await call('PATCH', `${D}/orders`, { metadata: { labels: 5 } });
    expect(labels.status).toBe(400);
    expect(labels.body.message).toContain('metadata.labels 5');
    const d = (await call('GET', `${D}/orders`)).body;
    expect(d.metadata.resourceVersion).toBe(1);
    expect(d.metadata.labels).toEqual({});
  });

  it('a __proto__ label key creates no prototype: the selector matches exactly what GET shows', async () => {
    await call('POST', D, jar('plain'));
    const proto = await call('PATCH', `${D}/plain`, '{"metadata":{"labels":{"__proto__":{"team":"a"}}}}');
    expect(proto.status).toBe(400);
    expect(proto.body.message).toContain('metadata.labels.__proto__');
    expect((await call('GET', `${D}?labelSelector=team%3Da`)).body.items).toHaveLength(0);
    const own = await call(
      'POST',
      D,
      `{"metadata":{"name":"own","labels":{"__proto__":"x","constructor":"c"}},"spec":${JSON.stringify(jar().spec)}}`,
    );
    expect(own.status).toBe(201);
    expect(Object.keys(own.body.metadata.labels)).toEqual(['__proto__', 'constructor']);
    const byProto = (await call('GET', `${D}?labelSelector=__proto__%3Dx`)).body.items;
    expect(byProto.map((d: any) => d.metadata.name)).toEqual(['own']);
    const byCtor = (await call('GET', `${D}?labelSelector=constructor%3Dc`)).body.items;
    expect(byCtor.map((d: any) => d.metadata.name)).toEqual(['own']);
    expect((await call('GET', `${D}?labelSelector=toString%3Dx`)).body.items).toHaveLength(0);
  });
});
