#!/usr/bin/env node
/*
 * Benchmark: synthesize N VvpDeployment constructs (default 1,000) into YAML, with the synth-time core validation,
 * beside its baseline: N raw cdk8s ApiObjects carrying the same JSON (no validation, no builder), in the same run
 * and process, alternating. Needs the compiled package (`npm run build`).
 * Usage: node --expose-gc bench/cdk8s/synth.js [--count N] [--runs R]
 * Prints construct and synth time per run (wall clock and the process's CPU time), the median of each side and
 * their ratio (goal: <= 1.3) with its spread over the rounds, heap, RSS. The goal is judged on CPU time: on a
 * shared machine the wall clock also counts the time other processes held the core, the CPU time counts all the
 * work of this process (its GC threads included) and nothing else.
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
const runs = arg('runs', 15);
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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-not-written' });
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  if (kind === 'vvp') for (let i = 0; i < count; i++) new VvpDeployment(chart, `job-${i}`, definition(i));
  else for (let i = 0; i < count; i++) new ApiObject(chart, `job-${i}`, structuredClone(objects[i]));
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    constructMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    heapDeltaMb: mb(process.memoryUsage().heapUsed - heapBefore),
    yaml,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)], s[Math.ceil(((s.length - 1) * 3) / 4)]];
};
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
const [load1] = require('node:os').loadavg();
console.log(
  `cdk8s synth of ${count} objects, ${runs} runs per side, alternating, node ${process.version}, ` +
    `load average ${load1.toFixed(1)} on ${require('node:os').availableParallelism()} cores`,
);
for (const kind of ['vvp', 'raw']) {
  const label = kind === 'vvp' ? 'VvpDeployment (validated)' : 'raw ApiObject (baseline)';
  for (const [i, r] of results[kind].entries()) {
    console.log(
      `  ${label} run ${i + 1}: construct ${r.constructMs.toFixed(0)} ms, synth ${r.synthMs.toFixed(0)} ms, ` +
        `total ${r.totalMs.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms, heap +${r.heapDeltaMb} MB`,
    );
  }
}
for (const [what, key] of [
  ['CPU', 'cpuMs'],
  ['wall', 'totalMs'],
]) {
  const vvp = median(results.vvp.map((r) => r[key]));
  const raw = median(results.raw.map((r) => r[key]));
  const vvpBest = Math.min(...results.vvp.map((r) => r[key]));
  const rawBest = Math.min(...results.raw.map((r) => r[key]));
  console.log(
    `median ${what}: VvpDeployment ${vvp.toFixed(0)} ms (${((vvp / count) * 1000).toFixed(0)} µs each), ` +
      `raw ApiObject ${raw.toFixed(0)} ms; best: ${vvpBest.toFixed(0)} ms vs ${rawBest.toFixed(0)} ms`,
  );
  // Each round runs both sides back to back (alternating which goes first), so the median of the per-round ratios
  // compares runs that saw the same machine load; the quartiles show how far the rounds spread.
  const ratios = results.vvp.map((r, i) => r[key] / results.raw[i][key]);
  const paired = median(ratios);
  const [q1, q3] = quartiles(ratios);
  const verdict = key === 'cpuMs' ? ` (goal <= ${GOAL}) ${paired <= GOAL ? 'ok' : 'OVER'}` : '';
  console.log(
    `ratio ${what} VvpDeployment / raw ApiObject: ${paired.toFixed(2)} median of rounds, ` +
      `quartiles ${q1.toFixed(2)}–${q3.toFixed(2)}, range ${Math.min(...ratios).toFixed(2)}–` +
      `${Math.max(...ratios).toFixed(2)}, ${(vvpBest / rawBest).toFixed(2)} best, ${(vvp / raw).toFixed(2)} median${verdict}`,
  );
}
console.log(`YAML ${mb(Buffer.byteLength(results.vvp[0].yaml))} MB; peak RSS ${rssPeakMb} MB`);
