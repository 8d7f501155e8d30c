/**
 * Hostile input against the emulator command line: well over 1,000 malformed requests (fixed seed) — bad JSON and
 * YAML, deep nesting, huge bodies, wrong types, bad encodings, odd methods, paths, headers and request lines.
 * Every answer must be a 4xx whose message names the field or limit; no 5xx, no crash.
 */
import { recordReliability } from './report';
import {
  deploymentBody,
  rawRequest,
  request,
  seeded,
  spawnEmulator,
  type EmulatorProcess,
  type Reply,
} from './emulator-process';

const ROOT = 'hostile-root';
const D = '/api/v1/namespaces/default/deployments';
const auth = { authorization: `Bearer ${ROOT}` };
const json = { ...auth, 'content-type': 'application/json' };
const yaml = { ...auth, 'content-type': 'application/yaml' };

/** One malformed request and what its rejection must name. */
interface Case {
  name: string;
  send(emu: EmulatorProcess): Promise<Reply>;
  /** The 4xx message must match this. */
  names: RegExp;
}

const rnd = seeded(20261202);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

function setPath(obj: any, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]!] = value;
}

/** Fields of the deployment model and wrong-typed values for each. */
const WRONG: [string, unknown[]][] = [
  ['metadata.name', [5, { toString: 'x' }, [], true]],
  ['metadata.labels', [42, 'str', [1], true]],
  ['metadata.labels.team', [7, {}, [], false, null === 1]],
  ['metadata.annotations', [1, 'str', ['a']]],
  ['metadata.annotations.k', [1, { a: 'b' }]],
  ['metadata.displayName', [1, {}, []]],
  ['spec.state', [5, 'PAUSED', {}, 'running']],
  ['spec.upgradeStrategy', ['x', 1]],
  ['spec.upgradeStrategy.kind', ['X', 1, {}]],
  ['spec.restoreStrategy.allowNonRestoredState', ['yes', 1]],
  ['spec.maxJobCreationAttempts', ['4', 1.5, {}]],
  ['spec.deploymentTargetName', [1, {}]],
  ['spec.template', ['x', 1, []]],
  ['spec.template.spec.parallelism', ['2', 1.5, {}]],
  ['spec.template.spec.artifact', [1, 'x']],
  ['spec.template.spec.artifact.jarUri', [1, {}]],
  ['spec.template.spec.artifact.additionalDependencies', ['a', [1], {}]],
  ['spec.template.spec.resources', ['x', 5]],
  ['spec.template.spec.resources.jobmanager.cpu', ['1', {}]],
  ['spec.template.spec.resources.jobmanager.memory', [1, []]],
  ['spec.template.spec.flinkConfiguration', ['x', []]],
  ['spec.template.spec.flinkConfiguration.k', [{}, []]],
  ['spec.template.spec.logging.log4jLoggers', ['x', 3]],
  ['spec.template.metadata.annotations', [1, 'x']],
];

function cases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, names: RegExp, send: Case['send']) => out.push({ name, names, send });
  let n = 0;
  // wrong types through POST, PUT and PATCH
  for (let round = 0; round < 5; round++)
    for (const [field, values] of WRONG)
      for (const value of values) {
        const name = `t-${n++}`;
        const body: any = deploymentBody(name);
        setPath(body, field, value);
        const method = pick(['POST', 'PUT', 'PATCH'] as const);
        const escaped = new RegExp(field.replace(/\./g, '\\.'));
        const p = method === 'POST' ? D : method === 'PUT' ? `${D}/${name}` : `${D}/seed`;
        if (method === 'PATCH' && field !== 'metadata.name') delete body.metadata.name;
        add(`${method} ${field}=${JSON.stringify(value)}`, escaped, (e) =>
          request(e.url, method, p, JSON.stringify(body), json),
        );
      }
  // malformed JSON
  const valid = JSON.stringify(deploymentBody('j'));
  for (let i = 0; i < 150; i++) {
    const cut = valid.slice(0, int(1, valid.length - 2));
    const noise = Array.from({ length: int(1, 30) }, () => String.fromCharCode(int(33, 126))).join('');
    const text = pick([cut, `${cut}${noise}`, `{${noise}`, `${valid}${noise}`, '{"a":}', "{'a':1}", '{"a":1,}']);
    const [method, p] = pick([
      ['POST', D],
      ['PATCH', `${D}/seed`],
      ['PUT', `${D}/j${i}`],
    ] as const);
    add(`bad JSON ${i}`, /request body/, (e) => request(e.url, method, p, text, json));
  }
  // malformed or deep YAML
  const YAMLS = [
    () => 'metadata:\n  name: [unclosed\n',
    () => 'a: b\n\tc: d\n',
    () => 'a: &x [1]\nb: *y\n',
    () => '- a\nb: c\n',
    () => `${'['.repeat(int(65, 3000))}`,
    () => `${'{a: '.repeat(int(65, 2000))}1${'}'.repeat(2000)}`,
    () => `${'- '.repeat(int(65, 3000))}x`,
    () => Array.from({ length: int(65, 1200) }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    () => ['a: &a [x, x, x]', ...Array.from({ length: 150 }, (_, i) => `b${i}: *a`)].join('\n'),
    () => '"'.repeat(int(100_001, 400_000)),
    () => Array.from({ length: 30_000 }, (_, i) => `k${i}: v`).join('\n'),
  ];
  for (let i = 0; i < 200; i++) {
    const text = pick(YAMLS)();
    add(`bad YAML ${i}`, /request body|limit of|YAML tokens/, (e) => request(e.url, 'POST', D, text, yaml));
  }
  // deep JSON
  for (let i = 0; i < 60; i++) {
    const depth = pick([65, 100, 1000, 10_000, 100_000]);
    const text = pick([`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`]);
    add(`deep JSON ${depth}`, /limit of 64 levels/, (e) => request(e.url, 'POST', D, text, json));
  }
  // huge bodies
  for (let i = 0; i < 15; i++) {
    const size = pick([1_100_000, 2_000_000, 5_000_000]);
    add(`huge body ${size}`, /limit of \d+ bytes/, (e) =>
      request(e.url, 'POST', D, JSON.stringify({ ...deploymentBody('h'), pad: 'x'.repeat(size) }), json),
    );
  }
  // bad percent-encoding in names
  for (let i = 0; i < 120; i++) {
    const bad = pick(['%', '%E0%A4%A', '%ZZ', 'a%2', '%C0%AF', '%ED%A0%80', '%FF']);
    const p = pick([
      `${D}/${bad}`,
      `/api/v1/namespaces/${bad}/deployments`,
      `/apitokens/v1/namespaces/default/apitokens/${bad}`,
    ]);
    const get = rnd() < 0.5;
    add(`bad encoding ${p}`, /path segment \d+/, (e) =>
      get ? request(e.url, 'GET', p, undefined, auth) : request(e.url, 'PATCH', p, '{}', json),
    );
  }
  // odd methods and paths
  const PATHS = [
    '/',
    '/api',
    `${D}/a/b/c`,
    '/api/v1/namespaces',
    '//api//v1',
    `/${'a/'.repeat(500)}`,
    '/.%2e/.%2e/etc',
    '/api/v1/namespaces/nope/x',
  ];
  for (let i = 0; i < 150; i++) {
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    add(`odd route ${method}`, /No route|Namespace '/, (e) =>
      request(e.url, method, pick(PATHS), method === 'GET' ? undefined : '{}', json),
    );
  }
  // odd headers: no or bad authentication, strange content types
  for (let i = 0; i < 80; i++) {
    const headers = pick<Record<string, string>>([
      {},
      { authorization: 'Bearer' },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { authorization: 'Bearer wrong-secret' },
      { authorization: `Bearer ${'x'.repeat(4000)}` },
    ]);
    add(`bad auth ${i}`, /Authorization: Bearer|Invalid API token/, (e) => request(e.url, 'POST', D, valid, headers));
  }
  for (let i = 0; i < 40; i++) {
    const type = pick(['application/yaml', 'text/plain', 'application/x-yaml; charset=utf-16', 'application/json']);
    add(`content-type ${type}`, /request body/, (e) =>
      request(e.url, 'POST', D, '{{{: [', { ...auth, 'content-type': type }),
    );
  }
  // malformed request lines and targets (raw sockets)
  const RAW = [
    'GET http://[ HTTP/1.1\r\nhost: x\r\n\r\n',
    'GET http://% HTTP/1.1\r\nhost: x\r\n\r\n',
    'GET * HTTP/1.1\r\nhost: x\r\n\r\n',
    'GET /\x01\x02 HTTP/1.1\r\n\r\n',
    'NOPE / HTTP/1.1\r\n\r\n',
    `GET / HTTP/1.1\r\nx: ${'y'.repeat(20_000)}\r\n\r\n`,
    'POST /api/v1/namespaces/default/deployments HTTP/1.1\r\ncontent-length: abc\r\n\r\n',
    'GET / HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n0\r\n\r\n',
  ];
  for (let i = 0; i < 80; i++) {
    const bytes = pick(RAW);
    add(`raw ${JSON.stringify(bytes.slice(0, 20))}`, /request target|Malformed HTTP request|No route/, (e) =>
      rawRequest(e.port, bytes),
    );
  }
  return out;
}

describe('emulator CLI under hostile input', () => {
  let emu: EmulatorProcess;
  afterAll(async () => {
    if (emu?.alive()) await emu.stop();
  });

  it('answers every malformed request with a 4xx naming the field or limit, and stays up', async () => {
    emu = await spawnEmulator(['--token', ROOT, '--transition-delay-ms', '50']);
    expect((await request(emu.url, 'POST', D, JSON.stringify(deploymentBody('seed')), json)).status).toBe(201);
    const all = cases();
    expect(all.length).toBeGreaterThanOrEqual(1000);
    const failures: string[] = [];
    let serverErrors = 0;
    let unnamed = 0;
    for (let i = 0; i < all.length; i += 16) {
      const batch = all.slice(i, i + 16);
      const replies = await Promise.all(batch.map((c) => c.send(emu)));
      replies.forEach((r, j) => {
        const c = batch[j]!;
        if (r.status >= 500 || r.status === 0) {
          serverErrors++;
          failures.push(`${c.name}: ${r.status} ${r.message}`);
        } else if (r.status < 400 || !c.names.test(r.message)) {
          unnamed++;
          failures.push(`${c.name}: ${r.status} ${r.message.slice(0, 200)}`);
        }
      });
    }
    const alive = emu.alive() && (await request(emu.url, 'GET', '/api/v1/status')).status === 200;
    recordReliability({
      surface: 'emulator CLI: malformed requests',
      cases: all.length,
      crashes: alive ? 0 : 1,
      serverErrors,
      lostWrites: 0,
      leaks: emu.output().includes(ROOT) ? 1 : 0,
      unnamedRejections: unnamed,
    });
    expect(failures.sort((a, b) => Number(/: 5|: 0 /.test(b)) - Number(/: 5|: 0 /.test(a))).slice(0, 60)).toEqual([]);
    expect(alive).toBe(true);
    expect(emu.output()).not.toContain(ROOT);
  }, 60_000);
});
