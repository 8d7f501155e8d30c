/**
 * Hostile-input suite of the webhook, against the REAL operator process (bin/vvp-operator.js) over HTTPS, next
 * to a real kube-apiserver + etcd: seeded malformed AdmissionReviews (wrong types, unknown operations, garbage
 * old objects, deep nesting, bulk, non-JSON, oversized bodies), then client-certificate verification with the
 * apiserver presenting its admission client certificate (AdmissionConfiguration + kubeConfigFile).
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeClientCert, makeServingCert } from '../harness/certs';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from '../e2e/operator-env';
import { recordReliability } from './report';
import { seeded } from './seeded';

jest.setTimeout(300_000);

const SEED = 0x0bad5eed;
const pki = makeServingCert({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-admission-client-')) });
const [clientCert, clientKey] = makeClientCert(pki, 'kube-apiserver-admission');
const admissionKubeconfig = path.join(pki.dir, 'admission-kubeconfig.json');
const admissionConfig = path.join(pki.dir, 'admission.json');
fs.writeFileSync(
  admissionKubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    users: [{ name: '*', user: { 'client-certificate': clientCert, 'client-key': clientKey } }],
  }),
);
fs.writeFileSync(
  admissionConfig,
  JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AdmissionConfiguration',
    plugins: [
      {
        name: 'ValidatingAdmissionWebhook',
        configuration: {
          apiVersion: 'apiserver.config.k8s.io/v1',
          kind: 'WebhookAdmissionConfiguration',
          kubeConfigFile: admissionKubeconfig,
        },
      },
    ],
  }),
);

let env: OperatorEnv;
beforeAll(async () => {
  env = await startOperatorEnv({ apiServerArgs: [`--admission-control-config-file=${admissionConfig}`] });
});
afterAll(async () => {
  await env?.stop();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  ms: number;
}
function send(
  port: number,
  ca: string,
  body: string | Buffer,
  extra: https.RequestOptions = {},
  route = '/validate-vvpdeployment',
): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let answered: Answer | undefined;
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: route,
        method: body === '' && route === '/healthz' ? 'GET' : 'POST',
        ca,
        agent: false,
        ...extra,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          answered = { status: res.statusCode ?? 0, text, ms: Date.now() - started };
          resolve(answered);
        });
      },
    );
    // a server that answers 413 early may close while the body is still being written: the answer counts
    req.on('error', (err) => (answered ? resolve(answered) : reject(err)));
    req.end(body);
  });
}

const JUNK: unknown[] = [
  { toString: 'x' },
  { valueOf: 1 },
  [],
  [1],
  42,
  -1.5,
  true,
  null,
  '',
  'x'.repeat(5000),
  '\u0000',
  '😀',
];
const OPS: unknown[] = ['CONNECT', 'create', 'FOO', null, 42, '', 'CREATE ', { toString: 'x' }, [], 'x'.repeat(300)];

/** One malformed review as body text (every one must be rejected); `label` names the mutation. */
function malformed(rand: () => number, n: number): { label: string; body: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cr: any = seedDeployment('orders');
  const request: any = {
    uid: `u-${n}`,
    operation: 'CREATE',
    namespace: 'team-a',
    name: 'orders',
    object: cr,
    kind: { group: 'ververica.platform', version: 'v1', kind: 'VvpDeployment' },
  };
  const review: any = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
  const kinds = [
    'op',
    'ns',
    'uid',
    'object',
    'oldUpdate',
    'oldDelete',
    'status',
    'kind',
    'deep',
    'bulk',
    'text',
    'envelope',
    'proto',
  ];
  const kind = kinds[n % kinds.length]!;
  switch (kind) {
    case 'op':
      request.operation = pick(OPS);
      cr.spec.syncingMode = 'SIDEWAYS';
      break;
    case 'ns':
      request.operation = pick(['CREATE', 'UPDATE', 'DELETE']);
      request.oldObject = cr;
      request[pick(['namespace', 'name'])] = pick(
        JUNK.filter((j) => j !== null && j !== '' && j !== '😀' && j !== '\u0000'),
      );
      break;
    case 'uid':
      request.uid = pick([undefined, { toString: 'x' }, 42, '', 'u'.repeat(300), [], null]);
      break;
    case 'object':
      request.object = pick([
        undefined,
        null,
        'str',
        42,
        [],
        { metadata: 'x' },
        { metadata: [] },
        { metadata: { labels: 'x' } },
      ]);
      break;
    case 'oldUpdate':
      request.operation = 'UPDATE';
      request.oldObject = pick([
        undefined,
        null,
        'garbage',
        7,
        [],
        { metadata: 'x' },
        { metadata: { labels: { a: 1 } } },
      ]);
      break;
    case 'oldDelete':
      request.operation = 'DELETE';
      delete request.object;
      request.oldObject = pick([undefined, null, 'garbage', 7, [], { metadata: 42 }]);
      break;
    case 'status':
      request.operation = 'DELETE';
      delete request.object;
      request.oldObject = {
        ...cr,
        status: {
          deploymentId: pick(JUNK.filter((j) => typeof j !== 'string' && j !== null)),
          actualState: { toString: 'RUNNING' },
        },
      };
      break;
    case 'kind':
      request.kind = pick([{ group: '', version: 'v1', kind: 'Pod' }, 'VvpDeployment', 42, []]);
      break;
    case 'deep': {
      // as text: JSON.stringify itself would overflow the stack of the test process
      const depth = 150 + Math.floor(rand() * 20_000);
      let open = '';
      let close = '';
      for (let i = 0; i < depth; i++) {
        const obj = rand() < 0.5;
        open += obj ? '{"a":' : '[';
        close = (obj ? '}' : ']') + close;
      }
      cr.spec.deployment.spec.flinkConfiguration = '@DEEP@';
      return { label: kind, body: JSON.stringify(review).replace('"@DEEP@"', `${open}1${close}`) };
    }
    case 'bulk':
      cr.metadata.labels = {
        ...cr.metadata.labels,
        ...Object.fromEntries(Array.from({ length: 2000 + Math.floor(rand() * 20_000) }, (_, i) => [`k${i}`, i])),
      };
      break;
    case 'text':
      return {
        label: kind,
        body: pick([
          '',
          '{',
          'null',
          '[]',
          '"str"',
          '\u0000',
          '{"request":',
          'NaN',
          '{"a":1}{"b":2}',
          Buffer.from([0xff, 0xfe, 0x00]).toString('latin1'),
        ]),
      };
    case 'envelope':
      if (rand() < 0.5) review.apiVersion = pick(['v1', 42, 'admission.k8s.io/v2', { toString: 'x' }]);
      else review.kind = pick(['Pod', 42, null]);
      break;
    case 'proto':
      return {
        label: kind,
        body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-${n}","__proto__":{"operation":"CREATE"},"constructor":{"prototype":{"polluted":true}},"object":${JSON.stringify(cr)}}}`,
      };
  }
  return { label: kind, body: JSON.stringify(review) };
}

/** A rejection names a field path: a request field, the envelope, the body, or a CR path. */
const NAMES_PATH = /(request(\.[\w"[\]]+)+|request:|apiVersion|kind:|\bbody\b|spec\.[\w.]+|metadata\.[\w.]+)/;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('hostile input: the webhook of the operator process', () => {
  let op: OperatorProcess;
  let ca: string;

  it('300+ malformed AdmissionReviews: every one answered without 5xx, rejected naming a field; the process serves on', async () => {
    op = await env.startOperator([], { name: 'hostile', selfSigned: true });
    ca = fs.readFileSync(path.join(env.dir, 'hostile-ca.pem'), 'utf8');
    const rand = seeded(SEED);
    const cases = Array.from({ length: 390 }, (_, n) => malformed(rand, n));
    // the crafted 151-byte review that ended the process, verbatim
    cases.push({
      label: 'crash-151',
      body: '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"DELETE","namespace":{"toString":"x"}}}',
    });
    // oversized: declared and streamed past 7 MiB
    cases.push({
      label: 'oversized',
      body: JSON.stringify({ request: { uid: 'big', object: { spec: 'x'.repeat(8 * 1024 * 1024) } } }),
    });
    let serverErrors = 0;
    let unnamed = 0;
    let noAnswer = 0;
    let allowed = 0;
    const problems: string[] = [];
    await pool(cases, 6, async (c) => {
      let a: Answer;
      try {
        a = await send(op.webhookPort, ca, c.body);
      } catch (err) {
        noAnswer++;
        problems.push(`${c.label}: no answer (${String(err)})`);
        return;
      }
      if (a.status >= 500) serverErrors++;
      let json: any;
      try {
        json = JSON.parse(a.text);
      } catch {
        problems.push(`${c.label}: answer is not JSON (${a.status})`);
        unnamed++;
        return;
      }
      const message: string = a.status === 200 ? (json.response?.status?.message ?? '') : (json.message ?? '');
      if (a.status === 200 && json.response?.allowed !== false) {
        allowed++;
        problems.push(`${c.label}: allowed`);
      }
      if (![200, 400, 413].includes(a.status)) problems.push(`${c.label}: status ${a.status}`);
      if (!NAMES_PATH.test(message)) {
        unnamed++;
        problems.push(`${c.label}: rejection names no field (${message.slice(0, 200)})`);
      }
      if (Buffer.byteLength(message) > 8 * 1024)
        problems.push(`${c.label}: message of ${Buffer.byteLength(message)} bytes`);
    });

    // a 3 MiB string as the old spec.deployment does not stall other connections
    const old = {
      ...seedDeployment('orders'),
      spec: { ...seedDeployment('orders').spec, deployment: 'x'.repeat(3 * 1024 * 1024) },
    };
    const slow = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'slow',
        operation: 'UPDATE',
        namespace: 'team-a',
        name: 'orders',
        object: seedDeployment('orders'),
        oldObject: old,
      },
    });
    const [big, health] = await Promise.all([
      send(op.webhookPort, ca, slow),
      new Promise((r) => setTimeout(r, 20)).then(() => send(op.webhookPort, ca, '', {}, '/healthz')),
    ]);
    expect(big.status).toBe(200);
    expect(health.status).toBe(200);
    // generous for a loaded machine: the quadratic version held every connection for 3.5 s
    expect(health.ms).toBeLessThan(1500);

    const alive = op.daemon.running();
    const log = fs.readFileSync(op.daemon.logFile, 'utf8');
    const longest = Math.max(...log.split('\n').map((l) => l.length));
    const labels = new Set(
      [...(await op.metrics()).matchAll(/vvp_operator_admission_reviews_total\{[^}]*operation="([^"]*)"/g)].map(
        (m) => m[1],
      ),
    );
    const leaks = [env.vvpToken, env.operatorToken].filter((t) => log.includes(t)).length;
    recordReliability({
      surface: 'operator webhook AdmissionReview (HTTPS, real process)',
      cases: cases.length + 1,
      crashes: (alive ? 0 : 1) + noAnswer,
      serverErrors,
      lostWrites: 0,
      leaks,
      unnamedRejections: unnamed,
    });
    expect(problems.slice(0, 20)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(alive).toBe(true);
    expect((await send(op.webhookPort, ca, '', {}, '/healthz')).status).toBe(200);
    expect(log).not.toMatch(/uncaught exception|unhandled rejection/);
    expect(longest).toBeLessThan(20_000);
    expect([...labels].every((l) => ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', 'other'].includes(l!))).toBe(true);
    expect(leaks).toBe(0);
    expect(allowed).toBe(0);
    await op.daemon.stop();
  });

  it('--webhook-client-ca: the apiserver presents its admission client certificate; anonymous clients are refused', async () => {
    op = await env.startOperator(['--webhook-client-ca', pki.caCertPath], { name: 'mtls' });
    await env.registerWebhook(op.webhookPort);
    const unowned = seedDeployment('no-owner');
    delete (unowned.metadata as { labels?: unknown }).labels;
    const r = await env.kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(unowned), allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('denied the request');
    expect(r.stderr).toContain('ververica.platform/owner');
    await env.apply(seedDeployment('owned'));
    const body = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'x', operation: 'FOO' },
    });
    await expect(send(op.webhookPort, env.cert.caPem, body)).rejects.toThrow();
    const withCert = await send(op.webhookPort, env.cert.caPem, body, {
      cert: fs.readFileSync(clientCert),
      key: fs.readFileSync(clientKey),
    });
    expect(withCert.status).toBe(200);
    expect(JSON.parse(withCert.text).response.allowed).toBe(false);
    await env.kube.kubectl(['delete', 'validatingwebhookconfiguration', 'vvp-operator-my-operator']);
    expect(op.daemon.running()).toBe(true);
    await op.daemon.stop();
  });
});
