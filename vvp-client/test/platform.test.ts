/** The platform calls over HTTP: paths and bodies as VVP has them, and a secret value scrubbed from every error. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVvpClient } from '../src/client';
import { BadRequestError } from '../src/errors';
import { platformApi } from '../src/platform';

const SECRET = 'p@ss w/rd"s3cr3t';
let server: http.Server;
let seen: { method: string; url: string; body: unknown }[];
let answer: (body: unknown) => { status: number; body: unknown };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : undefined;
      seen.push({ method: req.method!, url: req.url!, body });
      const a = answer(body);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  seen = [];
  answer = (body) => ({ status: 200, body: body ?? {} });
});

const api = () =>
  platformApi(createVvpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retries: 0 }));

describe('platformApi', () => {
  it('sends each object to its VVP path', async () => {
    const a = api();
    await a.createTarget('team-a', { metadata: { name: 'jobs' }, spec: { kubernetes: { namespace: 'k' } } });
    await a.patchSessionCluster('team-a', 'shared', { spec: { state: 'STOPPED' } });
    await a.patchDefaults('team-a', { parallelism: 2 });
    await a.registerSavepoint('team-a', 'dep-1', '3', 's3://sp');
    await a.deleteSavepoint('team-a', 'sp-1');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/v1/namespaces/team-a/deployment-targets',
      'PATCH /api/v1/namespaces/team-a/sessionclusters/shared',
      'PATCH /api/v1/namespaces/team-a/deployment-defaults',
      'POST /api/v1/namespaces/team-a/savepoints',
      'DELETE /api/v1/namespaces/team-a/savepoints/sp-1',
    ]);
    expect(seen[3]!.body).toEqual({
      metadata: {
        deploymentId: 'dep-1',
        annotations: { 'com.dataartisans.appmanager.controller.deployment.spec.version': '3' },
      },
      spec: { savepointLocation: 's3://sp' },
    });
  });

  it('answers undefined for a missing object', async () => {
    answer = () => ({ status: 404, body: { message: 'not found' } });
    expect(await api().findSessionCluster('default', 'x')).toBeUndefined();
  });

  it('scrubs a secret value that VVP echoes in an error, in the message and the body', async () => {
    answer = (body) => ({
      status: 400,
      body: { message: `bad value ${JSON.stringify(body)} / ${encodeURIComponent(SECRET)}`, echo: body },
    });
    const err = (await api()
      .createSecretValue('default', 'db', 'Plain', SECRET)
      .catch((e: unknown) => e)) as BadRequestError;
    expect(err).toBeInstanceOf(BadRequestError);
    expect(seen[0]!.body).toEqual({ metadata: { name: 'db' }, spec: { kind: 'Plain', value: SECRET } });
    expect(err.message).toContain('bad value');
    const everything = JSON.stringify([err.message, err.body, String(err.stack)]);
    expect(everything).not.toContain('s3cr3t');
    const patched = await api()
      .patchSecretValue('default', 'db', 'Plain', SECRET)
      .catch((e: Error) => e);
    expect(JSON.stringify([(patched as Error).message, (patched as BadRequestError).body])).not.toContain('s3cr3t');
  });
});
