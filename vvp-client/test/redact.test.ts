/** The token never leaves the client in any encoding: messages, stacks, bodies, JSON.stringify, util.inspect. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as util from 'node:util';
import { createVvpClient } from '../src/client';
import { REDACTED, redactValue, secretForms } from '../src/redact';

const TOKEN = 'tok"en\\with/quote+back=slash';

/** Every way an error can be looked at. */
const views = (err: unknown): string[] => {
  const e = err as Error & { body?: unknown };
  return [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    String(JSON.stringify(e.body)),
    util.inspect(e, { depth: 10 }),
    String(e),
  ];
};
const leaks = (err: unknown) => {
  const forms = secretForms(TOKEN);
  return views(err).filter((text) => forms.some((f) => text.includes(f)));
};

/** Echo modes of the fake server: how it puts the token it received into its error answer. */
const echo: Record<string, (token: string) => { status: number; type: string; body: string }> = {
  'raw in a JSON message': (t) => ({
    status: 400,
    type: 'application/json',
    body: JSON.stringify({ message: `bad token ${t}` }),
  }),
  'as a JSON key': (t) => ({
    status: 403,
    type: 'application/json',
    body: JSON.stringify({ [t]: 'denied', nested: [{ t }] }),
  }),
  'JSON inside a JSON string': (t) => ({
    status: 500,
    type: 'application/json',
    body: JSON.stringify({ message: 'upstream', detail: JSON.stringify({ header: `Bearer ${t}` }) }),
  }),
  'URL-encoded': (t) => ({
    status: 404,
    type: 'application/json',
    body: JSON.stringify({ message: `/x?token=${encodeURIComponent(t)}` }),
  }),
  base64: (t) => ({
    status: 409,
    type: 'application/json',
    body: JSON.stringify({
      message: Buffer.from(`Bearer ${t}`).toString('base64'),
      raw: Buffer.from(t).toString('base64'),
    }),
  }),
  'plain text': (t) => ({ status: 502, type: 'text/plain', body: `proxy error for Authorization: Bearer ${t}` }),
  'HTML with an escaped token': (t) => ({ status: 503, type: 'text/html', body: `<p>${JSON.stringify(t)}</p>` }),
};

let server: http.Server;
let url: string;
let mode = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const answer = echo[mode]!(token);
    res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('token scrubbing', () => {
  it.each(Object.keys(echo))('a token with " and \\ echoed %s appears in no view of the error', async (m) => {
    mode = m;
    const client = createVvpClient({ baseUrl: url, token: TOKEN, retries: 0 });
    const err = await client.getDeployment('default', 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: expect.any(Number) });
    expect(leaks(err)).toEqual([]);
    expect(views(err).join('\n')).toContain(REDACTED);
  });

  it('network errors and timeouts carry no token either', async () => {
    const down = createVvpClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, retries: 0 });
    const err = await down.status().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'VvpNetworkError' });
    expect(leaks(err)).toEqual([]);
  });

  it('refuses credentials in the baseUrl user-info with an error that says to use apiToken, never echoing them', () => {
    for (const baseUrl of [
      `http://user:${encodeURIComponent(TOKEN)}@127.0.0.1:8080`,
      'https://only-a-secret-user@vvp.example',
      'http://u:p@[',
    ]) {
      let err: unknown;
      try {
        createVvpClient({ baseUrl, token: 'x' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(Error);
      const text = views(err).join('\n');
      expect(text).toContain('apiToken');
      for (const secret of [encodeURIComponent(TOKEN), TOKEN, 'only-a-secret-user', 'u:p'])
        expect(text).not.toContain(secret);
    }
  });

  it('redacts keys and values at any depth, bounded', () => {
    const forms = secretForms('s3cr3t');
    let deep: unknown = 's3cr3t';
    for (let i = 0; i < 100; i++) deep = { s3cr3t: deep };
    expect(JSON.stringify(redactValue(deep, forms))).not.toContain('s3cr3t');
    expect(redactValue({ __proto__x: 1, a: ['xs3cr3tx'] }, forms)).toEqual({ __proto__x: 1, a: [`x${REDACTED}x`] });
    expect(secretForms(undefined)).toEqual([]);
  });
});
