/**
 * Operator benchmark: N VvpDeployment CRs applied at once (one `kubectl apply` of a List) against a real
 * kube-apiserver + etcd, the webhook registered, the operator process from dist/, and the VVP emulator.
 * Prints: time until all are Ready, VVP requests per CR (and the ratio to the minimum of 1 look-up + 1 create),
 * status writes per CR, VVP requests during a steady-state window spanning several resyncs (target: 0 writes),
 * and the operator's RSS.
 *
 * Knobs (env): BENCH_CRS=500 BENCH_CONCURRENCY=8 BENCH_VVP_QPS=50 BENCH_RESYNC_SECONDS=20 BENCH_STEADY_SECONDS=45
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../tests/harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv } from '../../tests/e2e/operator-env';

const N = Number(process.env.BENCH_CRS ?? 500);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '8';
const QPS = process.env.BENCH_VVP_QPS ?? '50';
const RESYNC = Number(process.env.BENCH_RESYNC_SECONDS ?? 20);
const STEADY = Number(process.env.BENCH_STEADY_SECONDS ?? 45);

let env: OperatorEnv;

afterAll(async () => {
  await env?.stop();
});

it(`${N} CRs applied at once all become Ready, and steady-state resyncs write nothing to VVP`, async () => {
  env = await startOperatorEnv({ transitionDelayMs: 150 });
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
  const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const file = path.join(env.dir, 'bench.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: names.map((n) => seedDeployment(n)) }),
  );
  env.emulator.requests.length = 0;

  const t0 = Date.now();
  await env.kube.kubectl(['apply', '-f', file], { timeoutMs: 10 * 60_000 });
  const appliedMs = Date.now() - t0;
  let ready = 0;
  await waitFor(
    `all ${N} Ready`,
    async () => {
      const list = await env.kube.kubectlJson<any>(['get', 'vvpdeployments', '-n', 'team-a'], { timeoutMs: 120_000 });
      ready = list.items.filter((cr: any) =>
        (cr.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
      ).length;
      return ready === N;
    },
    { timeoutMs: 20 * 60_000, intervalMs: 1000, onTimeout: () => `${ready}/${N} ready\n${op.daemon.log(3000)}` },
  );
  const readyMs = Date.now() - t0;

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

  const lines = [
    `operator benchmark: ${N} CRs, --concurrency ${CONCURRENCY}, --vvp-qps ${QPS}, --resync-seconds ${RESYNC}, emulator transition delay 150 ms`,
    `  kubectl apply of all ${N} CRs (webhook on):  ${(appliedMs / 1000).toFixed(1)} s`,
    `  time until all Ready (from apply start):     ${(readyMs / 1000).toFixed(1)} s  (${((N * 1000) / readyMs).toFixed(1)} CRs/s)`,
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
