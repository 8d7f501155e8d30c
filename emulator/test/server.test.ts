/** The HTTP surface: authentication and roles, admin routes, bounded bodies, bad targets, bounded logs. */
import net from 'node:net';
import { LINGER_MAX_BYTES } from '../src/body';
import { ManualScheduler, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../src/index';
import { call as callOn, D, jar, PLATFORM } from './support';

let emu: EmulatorHandle;
const start = async (options: EmulatorOptions = {}) => {
  emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), ...options });
};
afterEach(async () => {
  await emu?.stop();
});
const call = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  callOn(emu, method, p, body, headers);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** Sends raw bytes and resolves with the first answer's status line and body (or what arrived when it closed). */
function raw(request: string, keepSending = 0): Promise<{ status: number; text: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(emu.port, '127.0.0.1');
    let data = '';
    socket.on('connect', () => {
      socket.write(request);
      if (keepSending) socket.write(Buffer.alloc(keepSending, 'x'));
    });
    socket.on('data', (d) => {
      data += d.toString();
      const m = /^HTTP\/1\.1 (\d+)[^]*?\r\n\r\n([^]*)$/.exec(data);
      if (m && m[2]!.length >= Number(/content-length: (\d+)/i.exec(data)?.[1] ?? 0)) {
        socket.destroy();
        resolve({ status: Number(m[1]), text: m[2]!, ms: Date.now() - t0 });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: 0, text: data, ms: Date.now() - t0 }));
  });
}

describe('authentication and roles', () => {
  it('requires a Bearer token when configured and applies roles of created tokens', async () => {
    await start({ token: 'root' });
    expect((await call('GET', D)).status).toBe(401);
    expect((await call('GET', D, undefined, bearer('wrong'))).status).toBe(401);
    const path = '/apitokens/v1/namespaces/default/apitokens';
    const made = await call('POST', path, { name: 'namespaces/default/apitokens/ci', role: 'viewer' }, bearer('root'));
    expect(made.body.apiToken.secret).toBeDefined();
    const dup = await call('POST', path, { name: 'namespaces/default/apitokens/ci', role: 'viewer' }, bearer('root'));
    expect(dup.status).toBe(409);
    const viewer = bearer(made.body.apiToken.secret);
    expect((await call('GET', D, undefined, viewer)).status).toBe(200);
    expect((await call('POST', D, jar(), viewer)).status).toBe(403);
    expect((await call('GET', path, undefined, viewer)).status).toBe(403);
    const listed = await call('GET', path, undefined, bearer('root'));
    expect(JSON.stringify(listed.body)).not.toContain(made.body.apiToken.secret);
  });

  it('an owner of another namespace can neither list nor create namespaces, nor read this one', async () => {
    await start({ token: 'root' });
    await call('POST', '/namespaces/v1/namespaces', { name: 'namespaces/other' }, bearer('root'));
    const other = bearer(emu.createToken('other', 'owner'));
    const list = await call('GET', '/namespaces/v1/namespaces', undefined, other);
    expect(list.status).toBe(403);
    expect(list.body.message).toContain('platform admin token (--token)');
    expect((await call('POST', '/namespaces/v1/namespaces', { name: 'namespaces/mine' }, other)).status).toBe(403);
    expect((await call('GET', D, undefined, other)).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/other/deployments', undefined, other)).status).toBe(200);
    expect((await call('GET', '/namespaces/v1/namespaces', undefined, bearer('root'))).status).toBe(200);
  });

  it('answers 401 for an anonymous 20 MB body without parsing it', async () => {
    await start({ token: 'root' });
    const head = `POST ${D} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 20000000\r\n\r\n`;
    const r = await raw(head, 64 * 1024);
    expect(r.status).toBe(401);
    expect(r.text).toContain('Authentication required');
    expect(emu.requests.map((x) => x.status)).toEqual([401]);
  });
});

describe('admin routes', () => {
  it('need the --token secret when it is set: anonymous 401, namespace owner 403', async () => {
    await start({ token: 'root' });
    const owner = bearer(emu.createToken('default', 'owner'));
    for (const [method, p] of [
      ['GET', '/__emulator/requests'],
      ['DELETE', '/__emulator/requests'],
      ['POST', '/__emulator/faults'],
      ['DELETE', '/__emulator/faults'],
    ] as const) {
      expect((await call(method, p, method === 'POST' ? { routes: [{ drop: true }] } : undefined)).status).toBe(401);
      expect((await call(method, p, method === 'POST' ? { routes: [{ drop: true }] } : undefined, owner)).status).toBe(
        403,
      );
    }
    expect((await call('GET', D, undefined, owner)).status).toBe(200);
    expect((await call('GET', '/__emulator/requests', undefined, bearer('root'))).status).toBe(200);
  });

  it('a separate --admin-token replaces --token for them', async () => {
    await start({ token: 'root', adminToken: 'adm' });
    expect((await call('GET', '/__emulator/requests', undefined, bearer('root'))).status).toBe(403);
    expect((await call('GET', '/__emulator/requests', undefined, bearer('adm'))).status).toBe(200);
    expect((await call('GET', D, undefined, bearer('adm'))).status).toBe(401);
  });

  it('injects route faults and logs requests; malformed or unsafe fault bodies answer 400 naming the field', async () => {
    await start();
    const bad = await call('POST', '/__emulator/faults', '{"routes": [');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('Malformed request body (JSON)');
    const regex = await call('POST', '/__emulator/faults', { routes: [{ path: '(a+)+$' }] });
    expect(regex.status).toBe(400);
    expect(regex.body.message).toContain('routes[0].path');
    const typed = await call('POST', '/__emulator/faults', { routes: [{ status: '503' }] });
    expect(typed.body.message).toContain("Invalid routes[0].status '503'");
    await call('POST', '/__emulator/faults', {
      routes: [{ method: 'GET', path: '/deployments$', status: 503, times: 1 }],
    });
    expect((await call('GET', D)).status).toBe(503);
    expect((await call('GET', D)).status).toBe(200);
    const log = (await call('GET', '/__emulator/requests')).body.requests;
    expect(log.map((r: any) => `${r.method} ${r.status}`)).toEqual(['GET 503', 'GET 200']);
    await call('POST', D, jar());
    expect(emu.writes(/deployments/)).toHaveLength(1);
  });
});

describe('bad input answers 4xx naming the limit or field', () => {
  beforeEach(() => start({ maxBodyBytes: 64 * 1024 }));

  it('a body over the size limit answers 413 with a JSON message', async () => {
    const r = await call('POST', D, JSON.stringify({ ...jar(), pad: 'x'.repeat(100_000) }));
    expect(r.status).toBe(413);
    expect(r.body.message).toContain('limit of 65536 bytes (--max-body-bytes)');
    const chunked = await raw(
      `POST ${D} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${'10000\r\n' + 'x'.repeat(0x10000) + '\r\n'}${'10\r\n' + 'y'.repeat(16) + '\r\n'}`,
    );
    expect(chunked.status).toBe(413);
  });

  it('after an early 413 the unread body is discarded, not reset: the answer arrives and the connection serves the next request', async () => {
    const size = 3_000_000;
    const socket = net.connect(emu.port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST ${D} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
    for (let sent = 0; sent < size; sent += 100_000) socket.write(Buffer.alloc(Math.min(100_000, size - sent), 'x'));
    socket.write(`GET ${D} HTTP/1.1\r\nhost: x\r\n\r\n`);
    const deadline = Date.now() + 10_000;
    while (!/HTTP\/1\.1 200/.test(data) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    await closed;
    expect(data).toMatch(/^HTTP\/1\.1 413 /);
    expect(data).toContain(`content-length ${size} exceeds the limit of 65536 bytes`);
    expect(data).toMatch(/HTTP\/1\.1 200 /);
  }, 15_000);

  it('cuts the connection once an unread body passes the discard bound (LINGER_MAX_BYTES)', async () => {
    const socket = net.connect(emu.port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST ${D} HTTP/1.1\r\nhost: x\r\ncontent-length: 100000000000\r\n\r\n`);
    let sent = 0;
    let open = true;
    void closed.then(() => (open = false));
    const chunk = Buffer.alloc(256 * 1024, 'x');
    while (open && sent < LINGER_MAX_BYTES * 4) {
      sent += chunk.length;
      if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
    }
    await closed;
    expect(data).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(LINGER_MAX_BYTES * 4);
  });

  it('nesting of 10,000 (JSON) and 1,000 (YAML) answers 400 naming the depth limit; the server keeps serving', async () => {
    const json = await call('POST', D, '['.repeat(10_000) + ']'.repeat(10_000));
    expect(json.status).toBe(400);
    expect(json.body.message).toContain('limit of 64 levels (--max-body-depth)');
    for (let i = 0; i < 3; i++) {
      const yaml = await call('POST', D, '{"a": '.repeat(1000) + '1' + '}'.repeat(1000), {
        'content-type': 'application/yaml',
      });
      expect(yaml.status).toBe(400);
      expect(yaml.body.message).toContain('--max-body-depth');
    }
    expect((await call('GET', '/api/v1/status')).status).toBe(200);
  });

  it('a bad percent-encoding names the path segment; a request target http://[ answers 400', async () => {
    const r = await call('GET', `${D}/%E0%A4%A`);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Invalid path segment 6 '%E0%A4%A'");
    const target = await raw('GET http://[ HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(target.status).toBe(400);
    expect(target.text).toContain('Invalid request target');
    const garbage = await raw('GET /\x01 HTTP/1.1\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect((await call('GET', '/api/v1/status')).status).toBe(200);
  });
});

describe('bounded logs', () => {
  it('the request log and the event list keep only the newest entries', async () => {
    const clock = new ManualScheduler();
    emu = await startEmulator({ ...PLATFORM, scheduler: clock, maxRequestLog: 5, maxEvents: 3, transitionDelayMs: 10 });
    for (let i = 0; i < 8; i++) await call('GET', `/api/v1/status?i=${i}`);
    expect(emu.requests.map((r) => r.path)).toEqual([3, 4, 5, 6, 7].map((i) => `/api/v1/status?i=${i}`));
    expect((await call('GET', '/__emulator/requests')).body.dropped).toBe(3);
    await call('POST', D, jar('orders', { state: 'RUNNING' }));
    clock.runAll();
    const events = emu.store.listEvents('default', {});
    expect(events.map((e) => e.metadata.name)).toEqual([
      'AWAITING_A_JOB_TO_START',
      'JOB_SUCCESSFULLY_STARTED',
      'STATE_TRANSITION_IS_COMPLETED',
    ]);
  });
});
