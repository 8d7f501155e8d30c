#!/usr/bin/env node
/*
 * Benchmark: synthesize N VvpDeployment constructs (default 1,000) into YAML, with the synth-time core validation,
 * beside its baseline: N raw cdk8s ApiObjects carrying the same JSON (no validation, no builder), in the same run
 * and process, alternating. Needs the compiled package (`npm run build`).
 * Usage: node --expose-gc bench/cdk8s/synth.js [--count N] [--runs R]
 * Prints construct and synth time per run, the median of each side and their ratio (goal: <= 1.3), heap, RSS.
 */
'use strict';
const { performance } = require('node:perf_hooks');
const { ApiObject, App, Chart } = require('cdk8s');
const { VvpDeployment } = require('vvp-iac/cdk8s');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const count = arg('count', 1000);
const runs = arg('runs', 5);
const GOAL = 1.3;
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

// The baseline's input: the JSON each VvpDeployment emits, taken once from a synth outside the timed runs.
function rawObjects() {
  const app = new App({ outdir: '/nonexistent-not-written' });
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  const made = [];
  for (let i = 0; i < count; i++) made.push(new VvpDeployment(chart, `job-${i}`, definition(i)));
  app.synthYaml();
  return made.map((d) => d.resource.toJson());
}

function runOnce(kind, objects) {
  if (global.gc) global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-not-written' });
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  if (kind === 'vvp') for (let i = 0; i < count; i++) new VvpDeployment(chart, `job-${i}`, definition(i));
  else for (let i = 0; i < count; i++) new ApiObject(chart, `job-${i}`, structuredClone(objects[i]));
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  return {
    constructMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    heapDeltaMb: mb(process.memoryUsage().heapUsed - heapBefore),
    yaml,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const objects = rawObjects();
// one untimed warm-up of each side, so JIT and module loading do not land on the first measured run
runOnce('vvp', objects);
runOnce('raw', objects);
const results = { vvp: [], raw: [] };
for (let r = 0; r < runs; r++) {
  for (const kind of r % 2 ? ['raw', 'vvp'] : ['vvp', 'raw']) results[kind].push(runOnce(kind, objects));
}
if (results.vvp[0].yaml !== results.raw[0].yaml) throw new Error('the baseline does not emit the same YAML');
const rssPeakMb = mb(process.resourceUsage().maxRSS * 1024);
console.log(`cdk8s synth of ${count} objects, ${runs} runs per side, alternating, node ${process.version}`);
for (const kind of ['vvp', 'raw']) {
  const label = kind === 'vvp' ? 'VvpDeployment (validated)' : 'raw ApiObject (baseline)';
  for (const [i, r] of results[kind].entries()) {
    console.log(
      `  ${label} run ${i + 1}: construct ${r.constructMs.toFixed(0)} ms, synth ${r.synthMs.toFixed(0)} ms, ` +
        `total ${r.totalMs.toFixed(0)} ms, heap +${r.heapDeltaMb} MB`,
    );
  }
}
const vvp = median(results.vvp.map((r) => r.totalMs));
const raw = median(results.raw.map((r) => r.totalMs));
const vvpBest = Math.min(...results.vvp.map((r) => r.totalMs));
const rawBest = Math.min(...results.raw.map((r) => r.totalMs));
console.log(
  `median total: VvpDeployment ${vvp.toFixed(0)} ms (${((vvp / count) * 1000).toFixed(0)} µs each), ` +
    `raw ApiObject ${raw.toFixed(0)} ms; best: ${vvpBest.toFixed(0)} ms vs ${rawBest.toFixed(0)} ms; ` +
    `YAML ${mb(Buffer.byteLength(results.vvp[0].yaml))} MB; peak RSS ${rssPeakMb} MB`,
);
// Each round runs both sides back to back (alternating which goes first), so the median of the per-round ratios
// compares runs that saw the same machine load; the best runs are the least disturbed by other processes.
const paired = median(results.vvp.map((r, i) => r.totalMs / results.raw[i].totalMs));
const best = vvpBest / rawBest;
console.log(
  `ratio VvpDeployment / raw ApiObject: ${paired.toFixed(2)} median of rounds, ${best.toFixed(2)} best, ` +
    `${(vvp / raw).toFixed(2)} median (goal <= ${GOAL}) ${paired <= GOAL ? 'ok' : 'OVER'}`,
);
