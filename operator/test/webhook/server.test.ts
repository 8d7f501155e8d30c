import * as https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { generateSelfSigned } from '../../src/webhook/certs';
import { startWebhookServer, VALIDATE_PATH, type WebhookServer } from '../../src/webhook/server';
import { silentLogger } from '../../src/runtime/logger';

function post(
  port: number,
  ca: string,
  path: string,
  body: unknown,
  extra: https.RequestOptions & { chunked?: boolean } = {},
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    const { chunked, ...tls } = extra;
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        ...tls,
        headers: {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': Buffer.byteLength(data) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      // several writes without a content-length: the server only learns the size while streaming
      for (let i = 0; i < data.length; i += 64 * 1024) req.write(data.slice(i, i + 64 * 1024));
      req.end();
    } else req.end(data);
  });
}

const reviewOf = (request: Record<string, unknown>) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u-1', ...request },
});

describe('webhook server', () => {
  let server: WebhookServer | undefined;
  afterEach(async () => server?.stop());

  it('serves AdmissionReviews over TLS with a self-signed pair valid for 127.0.0.1 that verifies against its own caBundle', async () => {
    const pair = await generateSelfSigned(['vvp-operator.vvp.svc']);
    const cert = new X509Certificate(pair.cert);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:vvp-operator.vvp.svc');
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair,
      instanceId: 'op',
      namespaces: ['ns'],
      log: silentLogger,
    });
    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u-1',
        operation: 'CREATE',
        namespace: 'ns',
        name: 'x',
        object: { metadata: { name: 'x', namespace: 'ns' }, spec: {} },
      },
    };
    const r = await post(server.port, pair.caPem, VALIDATE_PATH, review);
    expect(r.status).toBe(200);
    expect(r.json.response.uid).toBe('u-1');
    expect(r.json.response.allowed).toBe(false);
    expect(r.json.response.status.message).toContain('ververica.platform/owner');
    const short = await post(server.port, pair.caPem, '/validate', {
      ...review,
      request: { ...review.request, uid: 'u-2' },
    });
    expect(short.json.response).toMatchObject({ uid: 'u-2', allowed: false });
  });

  it('answers 400 to a malformed body and 404 to another path', async () => {
    const pair = await generateSelfSigned();
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair,
      instanceId: 'op',
      namespaces: ['ns'],
      log: silentLogger,
    });
    expect((await post(server.port, pair.caPem, VALIDATE_PATH, { kind: 'AdmissionReview' })).status).toBe(400);
    expect((await post(server.port, pair.caPem, '/other', {})).status).toBe(404);
  });

  it('answers 413 with a JSON message to a body over the limit, declared or streamed, and keeps serving', async () => {
    const pair = await generateSelfSigned();
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair,
      instanceId: 'op',
      namespaces: ['ns'],
      log: silentLogger,
      maxBodyBytes: 256 * 1024,
    });
    const big = JSON.stringify(
      reviewOf({ operation: 'CREATE', object: { metadata: {}, spec: 'x'.repeat(300 * 1024) } }),
    );
    for (const chunked of [false, true]) {
      const r = await post(server.port, pair.caPem, VALIDATE_PATH, big, { chunked });
      expect(r.status).toBe(413);
      expect(r.json.message).toContain('larger than 262144 bytes');
    }
    const bad = await post(server.port, pair.caPem, VALIDATE_PATH, '{"request": ');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('body: not JSON');
  });

  it('answers the review that ended the process with a denial, counts it under a closed label and keeps serving', async () => {
    const pair = await generateSelfSigned();
    const seen: string[] = [];
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair,
      instanceId: 'op',
      namespaces: ['ns'],
      log: silentLogger,
      onReview: (operation) => seen.push(operation),
    });
    const crash = await post(
      server.port,
      pair.caPem,
      VALIDATE_PATH,
      reviewOf({ operation: 'DELETE', namespace: { toString: 'x' } }),
    );
    expect(crash.status).toBe(200);
    expect(crash.json.response).toMatchObject({ uid: 'u-1', allowed: false });
    expect(crash.json.response.status.message).toContain('request.namespace');
    for (const operation of ['FOO', 'create', 'x'.repeat(1000)])
      await post(server.port, pair.caPem, VALIDATE_PATH, reviewOf({ operation }));
    expect(seen).toEqual(['DELETE', 'other', 'other', 'other']);
    const health = await new Promise<number>((resolve, reject) =>
      https
        .get({ host: '127.0.0.1', port: server!.port, path: '/healthz', ca: pair.caPem }, (res) =>
          resolve(res.statusCode ?? 0),
        )
        .on('error', reject),
    );
    expect(health).toBe(200);
  });

  it('with a client CA, accepts only clients that present a certificate signed by it', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
      clientCertificate: { cn: 'kube-apiserver-admission' },
    });
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair: { cert: pems.cert, key: pems.private, caPem: pems.cert },
      clientCaPem: pems.cert,
      instanceId: 'op',
      namespaces: ['ns'],
      log: silentLogger,
    });
    const ok = await post(server.port, pems.cert, VALIDATE_PATH, reviewOf({ operation: 'FOO' }), {
      cert: pems.clientcert,
      key: pems.clientprivate,
    });
    expect(ok.status).toBe(200);
    expect(ok.json.response.allowed).toBe(false);
    await expect(post(server.port, pems.cert, VALIDATE_PATH, reviewOf({ operation: 'CREATE' }))).rejects.toThrow();
    const other = await generateSelfSigned();
    await expect(
      post(server.port, pems.cert, VALIDATE_PATH, reviewOf({ operation: 'CREATE' }), {
        cert: other.cert,
        key: other.key,
      }),
    ).rejects.toThrow();
  });

  it('a failure inside the handler is answered with a JSON 500 and logged; the server keeps serving', async () => {
    const pair = await generateSelfSigned();
    const errors: string[] = [];
    let calls = 0;
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      pair,
      instanceId: 'op',
      namespaces: ['ns'],
      log: { ...silentLogger, error: (_o: object, msg: string) => errors.push(msg) },
      onReview: () => {
        if (++calls === 1) throw new TypeError('Cannot convert object to primitive value');
      },
    });
    const first = await post(server.port, pair.caPem, VALIDATE_PATH, reviewOf({ operation: 'CREATE' }));
    expect(first.status).toBe(500);
    expect(first.json.message).toContain('internal error');
    expect(errors).toEqual(['admission request failed']);
    const second = await post(server.port, pair.caPem, VALIDATE_PATH, reviewOf({ operation: 'CREATE' }));
    expect(second.status).toBe(200);
  });
});
