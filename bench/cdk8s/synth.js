#!/usr/bin/env node
/*
 * Benchmark: synthesize N VvpDeployment constructs (default 1,000) into YAML, with the synth-time core validation.
 * Needs the compiled package (`npm run build`). Usage: node --expose-gc bench/cdk8s/synth.js [--count N] [--runs R]
 * Prints construct and synth time per run, heap and RSS, and the YAML size.
 */
'use strict';
const { performance } = require('node:perf_hooks');
const { App, Chart } = require('cdk8s');
const { VvpDeployment, VvpOperator } = require('vvp-iac/cdk8s');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const count = arg('count', 1000);
const runs = arg('runs', 3);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function definition(i) {
  const name = `job-${String(i).padStart(4, '0')}`;
  const put = i % 2 === 1;
  return {
    instanceId: 'bench-operator',
    apikeySecretName: 'vvp-apikey',
    syncingMode: put ? 'PUT' : 'PATCH',
    savepointNonce: i % 5,
    deployment: {
      metadata: { name, namespace: 'default', labels: { team: `t${i % 10}` } },
      spec: {
        state: 'RUNNING',
        deploymentTargetName: 'default',
        upgradeStrategy: { kind: 'STATEFUL' },
        restoreStrategy: { kind: 'LATEST_STATE' },
        template: {
          spec: {
            artifact: { kind: 'JAR', jarUri: `s3://bucket/${name}.jar`, engineVersionName: 'vera-4.1-flink-1.20' },
            parallelism: 1 + (i % 8),
            resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 2, memory: '4g' } },
            flinkConfiguration: { 'execution.checkpointing.interval': '60s', 'state.backend.type': 'rocksdb' },
          },
        },
      },
    },
    ...(put ? {} : { initFields: { spec: { template: { spec: { logging: { loggingProfile: 'default' } } } } } }),
  };
}

function runOnce() {
  if (global.gc) global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-not-written' });
  new VvpOperator(app, 'operator', {
    instanceId: 'bench-operator',
    watchedNamespaces: ['jobs'],
    vvpUrl: 'http://vvp:8080',
    image: 'op:1',
  });
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  for (let i = 0; i < count; i++) new VvpDeployment(chart, `job-${i}`, definition(i));
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  const heapAfter = process.memoryUsage().heapUsed;
  return {
    constructMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    heapDeltaMb: mb(heapAfter - heapBefore),
    yamlMb: mb(Buffer.byteLength(yaml)),
    docs: yaml.split('\n---\n').length,
  };
}

const results = [];
for (let r = 0; r < runs; r++) results.push(runOnce());
const rssPeakMb = mb(process.resourceUsage().maxRSS * 1024);
console.log(
  `cdk8s synth of ${count} VvpDeployment constructs (+ VvpOperator chart), ${runs} runs, node ${process.version}`,
);
for (const [i, r] of results.entries()) {
  console.log(
    `run ${i + 1}: construct ${r.constructMs.toFixed(0)} ms, synth+validate ${r.synthMs.toFixed(0)} ms, total ${r.totalMs.toFixed(0)} ms, ` +
      `heap +${r.heapDeltaMb} MB, YAML ${r.yamlMb} MB (${r.docs} objects)`,
  );
}
const best = results.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
console.log(
  `best total ${best.totalMs.toFixed(0)} ms (${((best.totalMs / count) * 1000).toFixed(0)} µs per construct); peak RSS ${rssPeakMb} MB`,
);
