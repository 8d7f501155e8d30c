/**
 * The platform resources through the native provider's gRPC server (dispatch by the URN's type), over FakeVvpClient:
 * Check failures, a detailed Diff with replacing paths, Create/Update/Delete, Read of a deleted object, and a
 * secret value never in a message.
 */
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import * as prov from '@pulumi/pulumi/proto/provider_pb';
import { FakeVvpClient } from '../../../vvp-client/src/testing';
import { loadPackageSchema } from '../../src/native/package-schema';
import { typeOfUrn } from '../../src/native/platform-rpcs';
import { startServer, type RunningServer } from '../../src/native/server';
import { providerClient, startRecordingEngine, struct } from './grpc-support';

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::vvp:index:${type}::${name}`;
const TARGET = urn('DeploymentTarget', 'jobs');
const SECRET = urn('SecretValue', 'db');
const VALUE = 'native-secret-value-9f8e';

let fake: FakeVvpClient;
let engine: Awaited<ReturnType<typeof startRecordingEngine>>;
let server: RunningServer;
let client: ReturnType<typeof providerClient>;

beforeAll(async () => {
  engine = await startRecordingEngine();
  const { schema, version } = loadPackageSchema();
  server = await startServer({ schema, version, engineAddress: engine.address, env: {}, clientFor: () => fake });
  client = providerClient(server.port);
  await client.call('configure', new prov.ConfigureRequest().setArgs(struct({ baseUrl: 'http://fake-vvp' })));
});
afterAll(async () => {
  client.close();
  await server.shutdown();
  await engine.stop();
});
beforeEach(() => {
  fake = new FakeVvpClient();
  engine.messages.length = 0;
});

const target = { name: 'jobs', kubernetesNamespace: 'vvp-jobs' };

describe('platform resources over the native provider', () => {
  it('reads the type of a URN, also under a parent', () => {
    expect(typeOfUrn(TARGET)).toBe('vvp:index:DeploymentTarget');
    expect(typeOfUrn('urn:pulumi:s::p::my:Comp$vvp:index:SessionCluster::c')).toBe('vvp:index:SessionCluster');
  });

  it('Check names the failing input', async () => {
    const req = new prov.CheckRequest().setUrn(TARGET).setNews(struct({ name: 'jobs' }));
    const resp = await client.call<prov.CheckResponse>('check', req);
    expect(resp.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
      ['kubernetesNamespace', 'deployment target default/jobs: `kubernetesNamespace` is required'],
    ]);
  });

  it('Create, then a Diff whose spec change replaces (delete first) and whose label change updates', async () => {
    const created = await client.call<prov.CreateResponse>(
      'create',
      new prov.CreateRequest().setUrn(TARGET).setProperties(struct(target)),
    );
    const outs = created.getProperties()!.toJavaScript();
    expect(outs).toMatchObject({ targetId: created.getId(), kubernetesNamespace: 'vvp-jobs' });
    const diff = (news: Record<string, unknown>) =>
      client.call<prov.DiffResponse>(
        'diff',
        new prov.DiffRequest()
          .setUrn(TARGET)
          .setId(created.getId())
          .setOlds(created.getProperties())
          .setNews(struct(news)),
      );
    expect((await diff(target)).getChanges()).toBe(prov.DiffResponse.DiffChanges.DIFF_NONE);
    const replace = await diff({ ...target, kubernetesNamespace: 'other' });
    expect(replace.getReplacesList()).toEqual(['kubernetesNamespace']);
    expect(replace.getDeletebeforereplace()).toBe(true);
    expect(replace.getDetaileddiffMap().get('kubernetesNamespace')!.getKind()).toBe(
      prov.PropertyDiff.Kind.UPDATE_REPLACE,
    );
    const relabel = await diff({ ...target, labels: { team: 'a' } });
    expect(relabel.getReplacesList()).toEqual([]);
    expect(relabel.getDetaileddiffMap().get('labels')!.getKind()).toBe(prov.PropertyDiff.Kind.ADD);
    await client.call<Empty>(
      'delete',
      new prov.DeleteRequest().setUrn(TARGET).setId(created.getId()).setProperties(created.getProperties()),
    );
    expect(fake.objects.size).toBe(0);
    const read = await client.call<prov.ReadResponse>(
      'read',
      new prov.ReadRequest().setUrn(TARGET).setId(created.getId()).setProperties(created.getProperties()),
    );
    expect(read.getId()).toBe('');
  });

  it('refuses an import of a platform type with the reason', async () => {
    const req = new prov.ReadRequest().setUrn(TARGET).setId('jobs');
    await expect(client.call('read', req)).rejects.toThrow(
      'vvp:index:DeploymentTarget: import is not supported for this resource type; declare it in the program instead',
    );
  });

  it('a secret value: its diff line and every message leave the value out', async () => {
    const created = await client.call<prov.CreateResponse>(
      'create',
      new prov.CreateRequest().setUrn(SECRET).setProperties(struct({ name: 'db', value: VALUE })),
    );
    const diff = await client.call<prov.DiffResponse>(
      'diff',
      new prov.DiffRequest()
        .setUrn(SECRET)
        .setId(created.getId())
        .setOlds(created.getProperties())
        .setNews(struct({ name: 'db', value: `${VALUE}-2` })),
    );
    expect(diff.getDiffsList()).toEqual(['value']);
    const updated = await client.call<prov.UpdateResponse>(
      'update',
      new prov.UpdateRequest()
        .setUrn(SECRET)
        .setId(created.getId())
        .setOlds(created.getProperties())
        .setNews(struct({ name: 'db', value: `${VALUE}-2` })),
    );
    expect(updated.getProperties()!.toJavaScript()).toMatchObject({ name: 'db' });
    expect(engine.messages.map((m) => m.message).join('\n')).toContain('~ value: [secret] => [secret]');
    expect(JSON.stringify(engine.messages)).not.toContain(VALUE);
  });
});
