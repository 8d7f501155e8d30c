/**
 * Token-leak suite of the VVP client: every method × every error path (each 4xx/5xx status the client maps, a
 * dropped connection, a timeout, an unreachable server) × every echo encoding of the token, looked at through
 * every view of the error (message, stack, JSON.stringify, util.inspect, String, the body), plus the emulator
 * echoing the token in injected faults.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as util from 'node:util';
import { startEmulator } from '../../emulator/src/index';
import { createVvpClient, type VvpClient } from '../../vvp-client/src/client';
import { secretForms } from '../../vvp-client/src/redact';
import { recordReliability } from './report';

jest.setTimeout(120_000);

const TOKEN = 'sk-"quoted"\\back\\slash/plus+eq=Ü';
const FORMS = secretForms(TOKEN);

const ENCODINGS: Record<string, (t: string) => string> = {
  raw: (t) => t,
  json: (t) => JSON.stringify(t),
  'json twice': (t) => JSON.stringify(JSON.stringify(t)),
  url: (t) => encodeURIComponent(t),
  base64: (t) => Buffer.from(t).toString('base64'),
  'base64 bearer': (t) => Buffer.from(`Bearer ${t}`).toString('base64'),
  'basic auth': (t) => `Basic ${Buffer.from(`:${t}`).toString('base64')}`,
};
const STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503];

/** Every method with arguments that reach the server. */
const CALLS: [string, (c: VvpClient) => Promise<unknown>][] = [
  ['getDeployment', (c) => c.getDeployment('default', 'd')],
  ['findDeployment', (c) => c.findDeployment('default', 'd')],
  ['listDeployments', (c) => c.listDeployments('default', { labelSelector: { a: 'b' } })],
  ['createDeployment', (c) => c.createDeployment('default', { metadata: { name: 'd' } })],
  ['patchDeployment', (c) => c.patchDeployment('default', 'd', {})],
  ['putDeployment', (c) => c.putDeployment('default', 'd', {})],
  ['deleteDeployment', (c) => c.deleteDeployment('default', 'd')],
  ['triggerSavepoint', (c) => c.triggerSavepoint('default', 'id')],
  ['registerSavepoint', (c) => c.registerSavepoint('default', 'id', 's3://x')],
  ['getSavepoint', (c) => c.getSavepoint('default', 'id')],
  ['listSavepoints', (c) => c.listSavepoints('default', { deploymentId: 'id' })],
  ['listJobs', (c) => c.listJobs('default', { deploymentId: 'id' })],
  ['getJob', (c) => c.getJob('default', 'id')],
  ['listEvents', (c) => c.listEvents('default', { deploymentId: 'id' })],
  ['createEvent', (c) => c.createEvent('default', { deploymentId: 'id', message: 'm' })],
  ['listDeploymentTargets', (c) => c.listDeploymentTargets('default')],
  ['getDeploymentTarget', (c) => c.getDeploymentTarget('default', 't')],
  ['getDeploymentDefaults', (c) => c.getDeploymentDefaults('default')],
  ['status', (c) => c.status()],
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
const leaked = (err: unknown) => views(err).some((v) => FORMS.some((f) => v.includes(f)));

let mode: { status: number; encoding: string; type: 'json' | 'text' | 'drop' | 'slow' } = {
  status: 500,
  encoding: 'raw',
  type: 'json',
};
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const echo = ENCODINGS[mode.encoding]!(token);
    if (mode.type === 'drop') req.socket.destroy();
    else if (mode.type === 'slow') setTimeout(() => res.writeHead(200).end('{}'), 300);
    else if (mode.type === 'text') res.writeHead(mode.status, { 'content-type': 'text/plain' }).end(`denied ${echo}`);
    else
      res.writeHead(mode.status, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          message: `token ${echo} rejected`,
          [echo]: { headers: { authorization: echo } },
          list: [echo],
        }),
      );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('hostile input: the token never leaves the VVP client', () => {
  it('every method × every error path × every echo encoding, in every view of the error', async () => {
    let cases = 0;
    let leaks = 0;
    const found: string[] = [];
    const check = async (label: string, client: VvpClient, call: (c: VvpClient) => Promise<unknown>) => {
      cases++;
      const err = await call(client).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (err === undefined) {
        // findDeployment answers 404 with undefined: no error to leak
        return;
      }
      if (leaked(err)) {
        leaks++;
        found.push(label);
      }
    };
    const client = createVvpClient({ baseUrl: url, token: TOKEN, retries: 1, retryBaseMs: 1, timeoutMs: 100 });
    for (const [name, call] of CALLS) {
      for (const status of STATUSES)
        for (const encoding of Object.keys(ENCODINGS))
          for (const type of ['json', 'text'] as const) {
            mode = { status, encoding, type };
            await check(`${name} ${status} ${encoding} ${type}`, client, call);
          }
      mode = { status: 0, encoding: 'raw', type: 'drop' };
      await check(`${name} dropped`, client, call);
      mode = { status: 0, encoding: 'raw', type: 'slow' };
      await check(`${name} timeout`, client, call);
      await check(
        `${name} unreachable`,
        createVvpClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, retries: 0 }),
        call,
      );
    }

    // the emulator echoing the token in injected faults
    const emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 1, token: TOKEN });
    try {
      const real = createVvpClient({ baseUrl: emu.url, token: TOKEN, retries: 0 });
      for (const [encoding, enc] of Object.entries(ENCODINGS))
        for (const status of [400, 409, 500, 503]) {
          emu.faults.clear();
          emu.faults.addRoute({ status, message: `backend saw ${enc(TOKEN)}` });
          await check(`emulator ${status} ${encoding}`, real, (c) => c.status());
        }
      emu.faults.clear();
      await check('emulator wrong token', createVvpClient({ baseUrl: emu.url, token: `${TOKEN}x`, retries: 0 }), (c) =>
        c.listDeployments('default'),
      );
    } finally {
      await emu.stop();
    }
    recordReliability({
      surface: 'vvp-client errors (every method × error path × token encoding)',
      cases,
      crashes: 0,
      serverErrors: 0,
      lostWrites: 0,
      leaks,
      unnamedRejections: 0,
    });
    expect(found.slice(0, 20)).toEqual([]);
    expect(cases).toBeGreaterThan(2500);
  });
});
