/**
 * The native provider's gRPC server in-process against the VVP emulator, called as the engine calls it:
 * Configure, Check, Diff (detailed diff), Create, Read (refresh and import), Update, Delete, with messages
 * through a recording Engine Log service.
 */
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import * as prov from '@pulumi/pulumi/proto/provider_pb';
import type * as plugin from '@pulumi/pulumi/proto/plugin_pb';
import { startEmulator, type EmulatorHandle } from '../../../emulator/src/index';
import { createVvpClient } from '../../../vvp-client/src/index';
import { loadPackageSchema } from '../../src/native/package-schema';
import { startServer, type RunningServer } from '../../src/native/server';
import { providerClient, startRecordingEngine, struct } from './grpc-support';

const TOKEN = 'native-test-token-0a1b2c';
const URN = 'urn:pulumi:dev::proj::vvp:index:Deployment::orders';

let emu: EmulatorHandle;
let engine: Awaited<ReturnType<typeof startRecordingEngine>>;
let server: RunningServer;
let client: ReturnType<typeof providerClient>;

beforeAll(async () => {
  emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 10, token: TOKEN });
  engine = await startRecordingEngine();
  const { schema, version } = loadPackageSchema();
  server = await startServer({
    schema,
    version,
    engineAddress: engine.address,
    env: {},
    progressMs: 50,
    clientFor: (c) => createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}), retryBaseMs: 1 }),
  });
  client = providerClient(server.port);
  const configure = new prov.ConfigureRequest();
  configure.setArgs(struct({ baseUrl: emu.url, apiToken: TOKEN }));
  const answer = await client.call<prov.ConfigureResponse>('configure', configure);
  expect(answer.getAcceptsecrets()).toBe(false);
  expect(answer.getSupportspreview()).toBe(false);
});

afterAll(async () => {
  client?.close();
  await server?.shutdown();
  await engine?.stop();
  await emu?.stop();
});

function inputs(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name, namespace: 'default' },
      spec: {
        state: 'CANCELLED',
        deploymentTargetName: 'default',
        template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/job.jar' }, parallelism: 1 } },
        ...spec,
      },
    },
    deletionPolicy: 'cancel',
  };
}

const urnOf = (name: string) => URN.replace('::orders', `::${name}`);

async function create(name: string): Promise<{ id: string; outs: Record<string, unknown> }> {
  const req = new prov.CreateRequest();
  req.setUrn(urnOf(name));
  req.setProperties(struct(inputs(name)));
  const resp = await client.call<prov.CreateResponse>('create', req);
  return { id: resp.getId(), outs: resp.getProperties()!.toJavaScript() as Record<string, unknown> };
}

async function diff(name: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const req = new prov.DiffRequest();
  req.setId('some-id');
  req.setUrn(urnOf(name));
  req.setOlds(struct(olds));
  req.setOldInputs(struct(inputs(name)));
  req.setNews(struct(news));
  const resp = await client.call<prov.DiffResponse>('diff', req);
  const detailed: Record<string, number> = {};
  resp.getDetaileddiffMap().forEach((v, k) => (detailed[k] = v.getKind()));
  return { resp, detailed };
}

async function read(id: string, name: string, props: Record<string, unknown> = {}) {
  const req = new prov.ReadRequest();
  req.setId(id);
  req.setUrn(urnOf(name));
  req.setProperties(struct(props));
  req.setInputs(struct({}));
  return client.call<prov.ReadResponse>('read', req);
}

describe('native provider server', () => {
  it('serves the package schema and version', async () => {
    const info = await client.call<plugin.PluginInfo>('getPluginInfo', new Empty());
    expect(info.getVersion()).toBe(loadPackageSchema().version);
    const schema = JSON.parse(
      (await client.call<prov.GetSchemaResponse>('getSchema', new prov.GetSchemaRequest())).getSchema(),
    );
    expect(schema.name).toBe('vvp');
    expect(schema.resources['vvp:index:Deployment'].inputProperties.deployment.$ref).toBe(
      '#/types/vvp:index:DeploymentDefinition',
    );
    expect(schema.types['vvp:index:Deployment']).toBeUndefined();
  });

  it('Check returns failures with property paths and keeps the inputs', async () => {
    const req = new prov.CheckRequest();
    req.setUrn(urnOf('bad'));
    req.setOlds(struct({}));
    req.setNews(struct({ ...inputs('bad', { state: 'FLYING' }) }));
    const resp = await client.call<prov.CheckResponse>('check', req);
    const failures = resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    expect(failures).toEqual([expect.objectContaining({ property: 'deployment.spec.state' })]);
    expect(failures[0]!.reason).toMatch(/FLYING/);
    expect((resp.getInputs()!.toJavaScript() as { syncingMode: string }).syncingMode).toBe('PATCH');
  });

  it('Create stamps the URN the engine sent, records no injected key, and logs under the URN', async () => {
    const { id, outs } = await create('stamp');
    const d = emu.store.getDeployment('default', 'stamp');
    expect(id).toBe(d.metadata.id);
    expect(d.metadata.annotations?.['ververica.platform/urn']).toBe(urnOf('stamp'));
    expect(outs).toMatchObject({ deploymentId: id, actualState: 'CANCELLED', lastChange: 'none' });
    expect(outs.resourceUrn).toBeUndefined();
    expect(JSON.stringify(outs)).not.toContain(TOKEN);
    expect(engine.messages).toContainEqual(
      expect.objectContaining({ urn: urnOf('stamp'), message: expect.stringContaining('created deployment') }),
    );
  });

  it('Diff of one field names exactly that path; no change is DIFF_NONE', async () => {
    const { outs } = await create('edit');
    const same = await diff('edit', outs, inputs('edit'));
    expect(same.resp.getChanges()).toBe(prov.DiffResponse.DiffChanges.DIFF_NONE);
    const news = inputs('edit');
    (news.deployment as any).spec.template.spec.parallelism = 3;
    const { resp, detailed } = await diff('edit', outs, news);
    expect(resp.getChanges()).toBe(prov.DiffResponse.DiffChanges.DIFF_SOME);
    expect(resp.getHasdetaileddiff()).toBe(true);
    expect(resp.getDiffsList()).toEqual(['deployment']);
    expect(resp.getReplacesList()).toEqual([]);
    expect(detailed).toEqual({ 'deployment.spec.template.spec.parallelism': prov.PropertyDiff.Kind.UPDATE });
  });

  it('Diff of a deployment FAILED while the program says RUNNING shows actualState and warns under the URN', async () => {
    const { outs } = await create('failed');
    const news = inputs('failed', { state: 'RUNNING' });
    const olds = { ...outs, deployment: news.deployment, actualState: 'FAILED' };
    const { resp, detailed } = await diff('failed', olds, news);
    expect(resp.getChanges()).toBe(prov.DiffResponse.DiffChanges.DIFF_SOME);
    expect(resp.getDiffsList()).toEqual(['actualState']);
    expect(detailed).toEqual({ actualState: prov.PropertyDiff.Kind.UPDATE });
    expect(engine.messages).toContainEqual(
      expect.objectContaining({
        urn: urnOf('failed'),
        message: expect.stringContaining(
          'deployment default/failed: VVP reports the deployment FAILED while the program says RUNNING',
        ),
      }),
    );
  });

  it('a slow operation logs progress lines under the URN while it runs', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/events$', latencyMs: 400, times: 1 });
    await create('slow');
    const progress = engine.messages.filter((m) => m.urn === urnOf('slow') && /still creating/.test(m.message));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]!.message).toMatch(/actual state (CANCELLED|TRANSITIONING), \d+ s elapsed, deadline in \d+ s/);
  });

  it('Diff logs each changed path with old and new value under the URN', async () => {
    const { outs } = await create('paths');
    const news = inputs('paths');
    (news.deployment as any).spec.template.spec.parallelism = 4;
    await diff('paths', outs, news);
    expect(engine.messages).toContainEqual(
      expect.objectContaining({
        urn: urnOf('paths'),
        message: 'deployment default/paths: ~ deployment.spec.template.spec.parallelism: 1 => 4',
      }),
    );
  });

  it('Diff of a rename replaces, deleting first, and marks only the name as replacing', async () => {
    const { outs } = await create('rename');
    const news = inputs('rename-2');
    const { resp, detailed } = await diff('rename', outs, news);
    expect(resp.getReplacesList()).toEqual(['deployment']);
    expect(resp.getDeletebeforereplace()).toBe(true);
    expect(detailed).toEqual({ 'deployment.metadata.name': prov.PropertyDiff.Kind.UPDATE_REPLACE });
  });

  it('Read refreshes by UUID and reports out-of-band drift as inputs', async () => {
    const { id, outs } = await create('drift');
    const vvp = createVvpClient({ baseUrl: emu.url, token: TOKEN });
    await vvp.patchDeployment('default', 'drift', { spec: { template: { spec: { parallelism: 5 } } } } as never);
    const resp = await read(id, 'drift', outs);
    expect(resp.getId()).toBe(id);
    const ins = resp.getInputs()!.toJavaScript() as any;
    expect(ins.deployment.spec.template.spec.parallelism).toBe(5);
    expect(ins.resourceUrn).toBeUndefined();
    expect(engine.messages).toContainEqual(
      expect.objectContaining({ urn: urnOf('drift'), message: expect.stringContaining('changed outside Pulumi') }),
    );
  });

  it('Read imports by <namespace>/<name> and by UUID, returning the UUID and the inputs', async () => {
    const { id } = await create('imp');
    for (const importId of ['default/imp', id]) {
      const resp = await read(importId, 'imp');
      expect(resp.getId()).toBe(id);
      const ins = resp.getInputs()!.toJavaScript() as any;
      expect(ins).toMatchObject({
        syncingMode: 'PATCH',
        deployment: { metadata: { name: 'imp', namespace: 'default' } },
      });
      expect(ins.deployment.metadata.labels?.['ververica.platform/owner']).toBeUndefined();
      expect(ins.deployment.spec.template.spec.parallelism).toBe(1);
    }
  });

  it('Read of a missing deployment returns no properties; a malformed import ID names the accepted forms', async () => {
    const missing = await read('default/nope', 'nope');
    expect(missing.getId()).toBe('');
    expect(missing.getProperties()).toBeUndefined();
    await expect(read('a/b/c', 'x')).rejects.toThrow(/import ID "a\/b\/c" is not valid: use `<namespace>\/<name>`/);
  });

  it('Delete follows deletionPolicy cancel and leaves nothing in VVP', async () => {
    const { id, outs } = await create('gone');
    const req = new prov.DeleteRequest();
    req.setId(id);
    req.setUrn(urnOf('gone'));
    req.setProperties(struct(outs));
    await client.call('delete', req);
    expect(() => emu.store.getDeployment('default', 'gone')).toThrow();
  });

  it('hostile inputs fail closed with a named error and never crash the server', async () => {
    const check = new prov.CheckRequest();
    check.setUrn(urnOf('hostile'));
    check.setOlds(struct({}));
    check.setNews(struct({ syncingMode: 'SIDEWAYS', deployment: 'not an object' }));
    const failures = (await client.call<prov.CheckResponse>('check', check)).getFailuresList();
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.map((f) => f.getProperty())).toEqual(expect.arrayContaining(['syncingMode']));
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 60; i++) deep = { nested: deep };
    const d = new prov.DiffRequest();
    d.setUrn(urnOf('hostile'));
    d.setOlds(struct(inputs('hostile')));
    d.setNews(
      struct({ ...inputs('hostile'), deployment: { ...(inputs('hostile').deployment as object), extra: deep } }),
    );
    await expect(client.call('diff', d)).resolves.toBeDefined();
    await expect(read('x'.repeat(10_000), 'hostile')).rejects.toThrow(/import ID "x{100}…" is not valid/);
    const info = await client.call<plugin.PluginInfo>('getPluginInfo', new Empty());
    expect(info.getVersion()).toBe(loadPackageSchema().version);
  });

  it('CheckConfig rejects a non-URL baseUrl, naming the key and the fix', async () => {
    const req = new prov.CheckRequest();
    req.setUrn('urn:pulumi:dev::proj::pulumi:providers:vvp::default');
    req.setNews(struct({ baseUrl: 'not a url', apiToken: TOKEN }));
    const resp = await client.call<prov.CheckResponse>('checkConfig', req);
    const failures = resp.getFailuresList().map((f) => [f.getProperty(), f.getReason()]);
    expect(failures).toEqual([['baseUrl', expect.stringMatching(/"not a url" is not an http\(s\) URL; set it like/)]]);
    expect(failures.join()).not.toContain(TOKEN);
  });
});
