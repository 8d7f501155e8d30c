/**
 * Operator benchmark: N VvpDeployment CRs applied at once (one `kubectl apply` of a List) against a real
 * kube-apiserver + etcd, the webhook registered, the operator process from dist/, and the VVP emulator; beside its
 * baseline, measured first on the same apiserver with the same N, namespace and user: a no-op controller
 * (bench/operator/noop-controller.js: list + watch + one status write per CR, no VVP).
 * Prints: time until all are Ready for both and their ratio (goal <= 1.5), apiserver requests per CR for both (by
 * verb and resource, from the apiserver's own metrics), VVP requests per CR (and the ratio to the minimum of
 * 1 look-up + 1 create), status writes per CR, VVP requests during a steady-state window spanning several resyncs
 * (target: 0 writes), and the operator's RSS.
 *
 * Knobs (env): BENCH_CRS=500 BENCH_CONCURRENCY=8 BENCH_VVP_QPS=50 BENCH_RESYNC_SECONDS=20 BENCH_STEADY_SECONDS=45
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, waitFor } from '../../tests/harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv } from '../../tests/e2e/operator-env';
import { apiserverRequests, perCr, readyCount, type RequestCounts } from './apiserver';

const N = Number(process.env.BENCH_CRS ?? 500);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '8';
const QPS = process.env.BENCH_VVP_QPS ?? '50';
const RESYNC = Number(process.env.BENCH_RESYNC_SECONDS ?? 20);
const STEADY = Number(process.env.BENCH_STEADY_SECONDS ?? 45);
const GOAL = 1.5;

let env: OperatorEnv;

afterAll(async () => {
  await env?.stop();
});

it(`${N} CRs applied at once all become Ready, and steady-state resyncs write nothing to VVP`, async () => {
  env = await startOperatorEnv({ transitionDelayMs: 150 });
  const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const file = path.join(env.dir, 'bench.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: names.map((n) => seedDeployment(n)) }),
  );
  // Ready = every CR carries Ready=True; read straight from the apiserver, the same way for both sides
  const allReady = (label: string, t0: number, onTimeout: () => string) =>
    waitFor(`${label}: all ${N} Ready`, async () => (await readyCount(env.kube, 'team-a')) === N && Date.now() - t0, {
      timeoutMs: 20 * 60_000,
      intervalMs: 250,
      onTimeout,
    });

  // the baseline: same apiserver, namespace, user (the operator's token) and N, before the operator exists
  const noop = startDaemon(
    'noop-controller',
    process.execPath,
    [
      path.join(__dirname, 'noop-controller.js'),
      ...['--server', env.kube.url, '--token', env.operatorToken, '--ca', env.kube.caCertPath, '--namespace', 'team-a'],
    ],
    { logFile: path.join(env.dir, 'noop-controller.log') },
  );
  await waitFor('the no-op controller', async () => noop.log().includes('ready'), {
    timeoutMs: 120_000,
    onTimeout: () => noop.log(3000),
  });
  // kubectl's discovery cache is filled here, so neither measured apply pays for it
  await env.kube.kubectl(['get', 'vvpdeployments', '-n', 'team-a']);
  const baseMark = await apiserverRequests(env.kube);
  const b0 = Date.now();
  await env.kube.kubectl(['apply', '-f', file], { timeoutMs: 10 * 60_000 });
  const baselineAppliedMs = Date.now() - b0;
  const baselineMs = await allReady('no-op controller', b0, () => noop.log(3000));
  const baseRequests = perCr(baseMark, await apiserverRequests(env.kube), N);
  await noop.stop();
  await env.kube.kubectl(['delete', 'vvpdeployments', '--all', '-n', 'team-a', '--wait=true'], {
    timeoutMs: 10 * 60_000,
  });

  const op = await env.startOperator([
    '--concurrency',
    CONCURRENCY,
    '--vvp-qps',
    QPS,
    '--resync-seconds',
    String(RESYNC),
    '--log-level',
    'warn',
  ]);
  await env.registerWebhook(op.webhookPort);
  env.emulator.requests.length = 0;

  const opMark = await apiserverRequests(env.kube);
  const t0 = Date.now();
  await env.kube.kubectl(['apply', '-f', file], { timeoutMs: 10 * 60_000 });
  const appliedMs = Date.now() - t0;
  const readyMs = await allReady('operator', t0, () => op.daemon.log(3000));
  const ready = await readyCount(env.kube, 'team-a');
  const opRequests = perCr(opMark, await apiserverRequests(env.kube), N);

  const reqs = [...env.emulator.requests];
  const byKind = (r: { method: string; path: string }) =>
    `${r.method} ${r.path
      .replace(/\/namespaces\/[^/]+/, '/namespaces/*')
      .replace(/\/deployments\/[^/?]+/, '/deployments/*')
      .replace(/\?.*$/, '')}`;
  const breakdown: Record<string, number> = {};
  for (const r of reqs) breakdown[byKind(r)] = (breakdown[byKind(r)] ?? 0) + 1;
  const deploymentRequests = reqs.filter((r) => /\/deployments/.test(r.path)).length;
  const statusWrites = await op.metric('vvp_operator_status_writes_total');
  const rssAfterCreate = await op.metric('vvp_operator_process_resident_memory_bytes');

  // steady state: several resync periods with nothing to do
  const reconcilesBefore = await op.metric('vvp_operator_reconciles_total');
  const statusBefore = statusWrites;
  env.emulator.requests.length = 0;
  await new Promise((r) => setTimeout(r, STEADY * 1000));
  const steady = [...env.emulator.requests];
  const steadyWrites = steady.filter((r) => r.method !== 'GET').length;
  const steadyReconciles = (await op.metric('vvp_operator_reconciles_total')) - reconcilesBefore;
  const steadyStatusWrites = (await op.metric('vvp_operator_status_writes_total')) - statusBefore;
  const rss = await op.metric('vvp_operator_process_resident_memory_bytes');

  const ratio = readyMs / baselineMs;
  const show = (c: RequestCounts) =>
    `${c.total.toFixed(2)} (${Object.entries(c.byKind)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ')})`;
  const lines = [
    `operator benchmark: ${N} CRs, --concurrency ${CONCURRENCY}, --vvp-qps ${QPS}, --resync-seconds ${RESYNC}, emulator transition delay 150 ms`,
    `  kubectl apply of all ${N} CRs (webhook on):  ${(appliedMs / 1000).toFixed(1)} s`,
    `  time until all Ready (from apply start):     ${(readyMs / 1000).toFixed(1)} s  (${((N * 1000) / readyMs).toFixed(1)} CRs/s)`,
    `  baseline, no-op controller (no webhook):     ${(baselineMs / 1000).toFixed(1)} s (apply ${(baselineAppliedMs / 1000).toFixed(1)} s)  ratio ${ratio.toFixed(2)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'ok' : 'OVER'}`,
    `  apiserver requests per CR, operator:         ${show(opRequests)}`,
    `  apiserver requests per CR, no-op controller: ${show(baseRequests)}`,
    `  VVP requests per CR:                         ${(reqs.length / N).toFixed(2)} (deployment API only: ${(deploymentRequests / N).toFixed(2)}; minimum 2 = 1 look-up + 1 create; ratio ${(deploymentRequests / N / 2).toFixed(2)})`,
    `    breakdown: ${Object.entries(breakdown)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
    `  status writes per CR:                        ${(statusWrites / N).toFixed(2)}`,
    `  steady state (${STEADY} s, ~${Math.floor(STEADY / RESYNC)} resyncs): VVP writes ${steadyWrites}, VVP reads ${steady.length - steadyWrites}, reconciles ${steadyReconciles}, status writes ${steadyStatusWrites}`,
    `  operator RSS: ${(rssAfterCreate / 2 ** 20).toFixed(0)} MiB after creation, ${(rss / 2 ** 20).toFixed(0)} MiB after the steady window`,
  ];
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(__dirname, 'last-result.txt'), `${lines.join('\n')}\n`);
  expect(ready).toBe(N);
  expect(steadyWrites).toBe(0);
  expect(steadyStatusWrites).toBe(0);
});
