#!/usr/bin/env node
'use strict';
// The operator benchmark's baseline: the least a controller of VvpDeployment CRs can do. It lists the CRs of one
// namespace, watches from the list's resourceVersion, and writes one status per CR (merge patch of the status
// subresource with Ready=True), over the same node:https transport the operator uses. No VVP, no finalizer, no
// events, no re-reads. With --webhook-port it also serves an allow-all validating admission webhook (HTTPS, any
// path: every AdmissionReview is allowed, nothing is read), so that the baseline pays the same admission round trips
// as the operator (ADR 0206). Prints "ready" once the list is in, the watch is open and the webhook listens; SIGTERM
// stops it.
// Usage: node bench/operator/noop-controller.js --server URL --token T --ca FILE --namespace NS
//          [--webhook-port P --webhook-cert FILE --webhook-key FILE]
const fs = require('node:fs');
const https = require('node:https');

const arg = (name, optional = false) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 && optional) return undefined;
  if (i < 0) throw new Error(`--${name} is required`);
  return process.argv[i + 1];
};
const server = new URL(arg('server'));
const token = arg('token');
const namespace = arg('namespace');
const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: fs.readFileSync(arg('ca')) });
const base = `/apis/ververica.platform/v1/namespaces/${namespace}/vvpdeployments`;

function call(method, path, body, onData) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: server.hostname,
        port: server.port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(data
            ? { 'content-type': 'application/merge-patch+json', 'content-length': Buffer.byteLength(data) }
            : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => (onData ? onData(c) : chunks.push(c)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// 429 (e.g. "storage is (re)initializing" right after the CRD appears) and 5xx are retried, as any controller does
async function callRetrying(method, path, body) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(method, path, body);
    } catch (err) {
      if (attempt >= 60 || !/: (429|5\d\d) /.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

const written = new Set();
async function writeStatus(cr) {
  const name = cr.metadata.name;
  if (written.has(name)) return;
  written.add(name);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const generation = cr.metadata.generation;
  const condition = (type, reason) => ({
    type,
    status: 'True',
    reason,
    message: '',
    lastTransitionTime: now,
    observedGeneration: generation,
  });
  await callRetrying('PATCH', `${base}/${name}/status`, {
    status: {
      observedGeneration: generation,
      conditions: [condition('Healthy', 'Healthy'), condition('Ready', 'Converged')],
    },
  });
}

// the allow-all admission webhook: answers each AdmissionReview with allowed=true and its uid
function allowAll(port) {
  const server = https.createServer(
    { cert: fs.readFileSync(arg('webhook-cert')), key: fs.readFileSync(arg('webhook-key')) },
    (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const text = JSON.stringify({
          apiVersion: review.apiVersion,
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, allowed: true },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      });
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), '127.0.0.1', resolve);
  });
}

async function main() {
  const webhookPort = arg('webhook-port', true);
  if (webhookPort) await allowAll(webhookPort);
  const list = await callRetrying('GET', base);
  for (const cr of list.items) void writeStatus(cr).catch(fail);
  let buffered = '';
  const watch = call(
    'GET',
    `${base}?watch=1&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=3600`,
    undefined,
    (chunk) => {
      buffered += chunk.toString('utf8');
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const event = JSON.parse(line);
        if (event.type === 'ADDED') void writeStatus(event.object).catch(fail);
      }
    },
  );
  console.log('ready');
  await watch;
}

function fail(err) {
  console.error(`noop-controller: ${err.message}`);
  process.exit(1);
}
process.on('SIGTERM', () => process.exit(0));
main().catch(fail);
