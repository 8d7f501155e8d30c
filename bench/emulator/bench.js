#!/usr/bin/env node
'use strict';
// npm run bench:emulator — GET/s and writes/s of the VVP emulator (bin/vvp-emulator.js, its own process, bearer
// token on), beside a baseline: a bare node:http JSON server in its own process that stores the same deployment
// objects and merges the same PATCH bodies, without routing, auth, validation or the state machine. Both run in the
// same bench, one after the other, with the same keep-alive client (C concurrent requests for D seconds each).
// Usage: node bench/emulator/bench.js [--seconds D] [--concurrency C] [--deployments N]   (needs npm run build)
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 5);
const CONCURRENCY = arg('concurrency', 16);
const DEPLOYMENTS = arg('deployments', 50);
const GET_GOAL = 2000;
const TOKEN = `bench-${process.pid}`;

// The baseline: the smallest server that keeps deployments as JSON and answers GET and PATCH on them.
const BASELINE = `
const http = require('node:http');
const store = new Map();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const name = req.url.split('/').pop();
    if (req.method === 'POST') {
      const d = JSON.parse(body);
      store.set(d.metadata.name, d);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(d));
    } else if (req.method === 'PATCH') {
      const d = store.get(name);
      Object.assign(d.metadata.labels, JSON.parse(body).metadata.labels);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(d));
    } else {
      const d = store.get(name);
      res.writeHead(d ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(d ?? {}));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

function start(label, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`${label} exited (${code}) before listening:\n${out}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function request(base, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${urlPath}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${urlPath}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const deployment = (i) => ({
  metadata: { name: `bench-${i}`, namespace: 'default', labels: { team: 'bench' } },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR', jarUri: `s3://bench/job-${i}.jar` }, parallelism: 1 } },
  },
});
const itemPath = (i) => `/api/v1/namespaces/default/deployments/bench-${i}`;

// C workers issue requests back to back for SECONDS; returns completed requests per second.
async function load(base, makeRequest) {
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  let n = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await makeRequest(base, n++);
      done++;
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function measure(server) {
  for (let i = 0; i < DEPLOYMENTS; i++)
    await request(server.url, 'POST', '/api/v1/namespaces/default/deployments', deployment(i));
  await load(server.url, (b, n) => request(b, 'GET', itemPath(n % DEPLOYMENTS))); // warm-up
  const gets = await load(server.url, (b, n) => request(b, 'GET', itemPath(n % DEPLOYMENTS)));
  const writes = await load(server.url, (b, n) =>
    request(b, 'PATCH', itemPath(n % DEPLOYMENTS), { metadata: { labels: { round: String(n) } } }),
  );
  return { gets, writes };
}

async function main() {
  const results = {};
  for (const [label, args] of [
    // profile vvp-3 (ADR 0009) with target `default`, which the measured deployments name
    [
      'emulator',
      [
        ...[path.join(REPO, 'bin', 'vvp-emulator.js'), '--port', '0', '--token', TOKEN],
        ...['--profile', 'vvp-3', '--default-target', 'default'],
      ],
    ],
    ['baseline', ['-e', BASELINE]],
  ]) {
    const server = await start(label, args);
    try {
      results[label] = await measure(server);
    } finally {
      server.stop();
    }
  }
  agent.destroy();
  const { emulator, baseline } = results;
  console.log(`emulator benchmark: ${CONCURRENCY} concurrent keep-alive requests, ${SECONDS} s per figure`);
  console.log(
    `  GET deployment:   emulator ${emulator.gets.toFixed(0)}/s, bare node:http ${baseline.gets.toFixed(0)}/s, ` +
      `ratio ${(baseline.gets / emulator.gets).toFixed(2)} (goal >= ${GET_GOAL}/s) ${emulator.gets >= GET_GOAL ? 'ok' : 'UNDER'}`,
  );
  console.log(
    `  PATCH deployment: emulator ${emulator.writes.toFixed(0)}/s, bare node:http ${baseline.writes.toFixed(0)}/s, ` +
      `ratio ${(baseline.writes / emulator.writes).toFixed(2)}`,
  );
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
