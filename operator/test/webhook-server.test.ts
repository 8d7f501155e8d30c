import * as https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { generateSelfSigned } from '../src/webhook/certs';
import { startWebhookServer, VALIDATE_PATH, type WebhookServer } from '../src/webhook/server';
import { silentLogger } from '../src/runtime/logger';

function post(port: number, ca: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

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
});
