/**
 * Leak suite of the platform calls (vvp-client/src/platform.ts): every call × every error status × every echo
 * encoding of the API token and of a secret value sent in the body, in every view of the error (message, stack,
 * JSON, util.inspect, String, the body). A secret value is scrubbed like the token.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as util from 'node:util';
import { createVvpClient } from '../../vvp-client/src/client';
import { platformApi, type PlatformApi } from '../../vvp-client/src/platform';
import { secretForms } from '../../vvp-client/src/redact';
import { recordReliability } from './report';

jest.setTimeout(120_000);

const TOKEN = 'tok-"q"\\b/plus+=Ü-platform';
const VALUE = 'pw "quoted" \\back/slash+eq=ä-secret';
const FORMS = [...secretForms(TOKEN), ...secretForms(VALUE)];
const ENCODINGS: Record<string, (t: string) => string> = {
  raw: (t) => t,
  json: (t) => JSON.stringify(t),
  'json twice': (t) => JSON.stringify(JSON.stringify(t)),
  url: (t) => encodeURIComponent(t),
  base64: (t) => Buffer.from(t).toString('base64'),
};
const STATUSES = [400, 401, 403, 404, 409, 422, 500, 503];

const CALLS: [string, (a: PlatformApi) => Promise<unknown>][] = [
  ['listTargets', (a) => a.listTargets('default')],
  ['createTarget', (a) => a.createTarget('default', { metadata: { name: 't' }, spec: {} })],
  ['putTarget', (a) => a.putTarget('default', 't', { metadata: { name: 't' }, spec: {} })],
  ['deleteTarget', (a) => a.deleteTarget('default', 't')],
  ['getSessionCluster', (a) => a.getSessionCluster('default', 'c')],
  ['createSessionCluster', (a) => a.createSessionCluster('default', { metadata: { name: 'c' }, spec: {} })],
  ['patchSessionCluster', (a) => a.patchSessionCluster('default', 'c', { spec: { state: 'STOPPED' } })],
  ['deleteSessionCluster', (a) => a.deleteSessionCluster('default', 'c')],
  ['createSecretValue', (a) => a.createSecretValue('default', 's', 'Plain', VALUE)],
  ['patchSecretValue', (a) => a.patchSecretValue('default', 's', 'Plain', VALUE)],
  ['deleteSecretValue', (a) => a.deleteSecretValue('default', 's')],
  ['getDefaults', (a) => a.getDefaults('default')],
  ['patchDefaults', (a) => a.patchDefaults('default', { parallelism: 2 })],
  ['registerSavepoint', (a) => a.registerSavepoint('default', 'd', '1', 's3://x')],
  ['deleteSavepoint', (a) => a.deleteSavepoint('default', 'sp')],
];

const views = (err: unknown): string[] => {
  const e = err as Error & { body?: unknown };
  return [
    String(e?.message),
    String(e?.stack),
    String(JSON.stringify(e)),
    String(JSON.stringify(e?.body)),
    util.inspect(e, { depth: 20, showHidden: true }),
    String(e),
  ];
};

let mode = { status: 500, encoding: 'raw', type: 'json' as 'json' | 'text' };
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const value = text ? ((JSON.parse(text) as { spec?: { value?: string } }).spec?.value ?? '') : '';
      const enc = ENCODINGS[mode.encoding]!;
      const echo = `${enc(token)} ${value ? enc(value) : ''}`;
      if (mode.type === 'text') res.writeHead(mode.status, { 'content-type': 'text/plain' }).end(`denied ${echo}`);
      else
        res
          .writeHead(mode.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `rejected ${echo}`, [echo]: { echo }, body: text }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('hostile input: no token and no secret value leaves the platform calls', () => {
  it('every call × status × encoding, in every view of the error', async () => {
    const api = platformApi(createVvpClient({ baseUrl: url, token: TOKEN, retries: 0 }));
    let cases = 0;
    const leaks: string[] = [];
    for (const [name, call] of CALLS)
      for (const status of STATUSES)
        for (const encoding of Object.keys(ENCODINGS))
          for (const type of ['json', 'text'] as const) {
            mode = { status, encoding, type };
            cases++;
            const err = await call(api).then(
              () => undefined,
              (e: unknown) => e,
            );
            if (err === undefined) continue; // a find answering 404 with undefined: nothing to leak
            if (views(err).some((v) => FORMS.some((f) => v.includes(f))))
              leaks.push(`${name} ${status} ${encoding} ${type}`);
          }
    recordReliability({
      surface: 'vvp-client platform calls (token and secret value × status × encoding)',
      cases,
      crashes: 0,
      serverErrors: 0,
      lostWrites: 0,
      leaks: leaks.length,
      unnamedRejections: 0,
    });
    expect(leaks).toEqual([]);
    expect(cases).toBe(CALLS.length * STATUSES.length * Object.keys(ENCODINGS).length * 2);
  });
});
