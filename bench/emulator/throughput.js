#!/usr/bin/env node
/**
 * Emulator throughput: GET requests per second against the emulator command line (bin/vvp-emulator.js, its own
 * process), keep-alive, 32 requests in flight, for one deployment, a list of 50 deployments and the status route.
 * Usage: node bench/emulator/throughput.js [seconds per route, default 3]
 */
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const SECONDS = Number(process.argv[2] ?? 3);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const D = '/api/v1/namespaces/default/deployments';

function call(port, method, p, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method, agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(port, p) {
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  let bad = 0;
  const worker = async () => {
    while (Date.now() < end) {
      if ((await call(port, 'GET', p)) !== 200) bad++;
      done++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 32 }, worker));
  return { rate: (done * 1000) / (Date.now() - t0), bad };
}

(async () => {
  const bin = path.join(__dirname, '../../bin/vvp-emulator.js');
  const child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  for (let i = 0; i < 50; i++) {
    const body = {
      metadata: { name: `d${i}` },
      spec: {
        deploymentTargetName: 'default',
        template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/a.jar' } } },
      },
    };
    await call(port, 'POST', D, JSON.stringify(body));
  }
  for (const p of [`${D}/d7`, D, '/api/v1/status']) {
    const { rate, bad } = await measure(port, p);
    console.log(`GET ${p}: ${rate.toFixed(0)} requests/s${bad ? ` (${bad} non-200)` : ''}`);
  }
  agent.destroy();
  child.kill('SIGTERM');
})();
