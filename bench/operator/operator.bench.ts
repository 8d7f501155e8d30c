/**
 * Operator benchmark (ADR 0206): N VvpDeployment CRs applied at once (one `kubectl apply` of a List) against a real
 * kube-apiserver + etcd, the webhook registered, the operator process from dist/, and the VVP emulator. Three runs
 * on the same apiserver, namespace and user, each with its own CR names:
 * 1. the baseline: a no-op controller (bench/operator/noop-controller.js: list + watch + one status write per CR,
 *    no VVP) with an allow-all admission webhook registered the same way as the operator's;
 * 2. the operator unthrottled (`--vvp-qps 0`): its time over the baseline's is THE ratio (goal <= 1.5);
 * 3. the operator at `--vvp-qps BENCH_VVP_QPS` (the default 50): its ratio to the baseline, and to the floor the
 *    rate limit sets (its VVP requests / qps); then a steady-state window spanning several resyncs (0 writes).
 * Prints for each run: time until all are Ready (and of the apply), apiserver requests per CR (by verb and resource,
 * from the apiserver's own metrics), admission webhook calls per CR and their mean time (as the apiserver measured
 * them), VVP requests per CR, status writes per CR; and the operator's RSS.
 *
 * Knobs (env): BENCH_CRS=500 BENCH_CONCURRENCY=(the operator's default, 4) BENCH_VVP_QPS=50 (0: no throttled run) BENCH_RESYNC_SECONDS=20
 * BENCH_STEADY_SECONDS=45 BENCH_OPERATOR_NODE_ARGS (node flags of the operator process, e.g. "--cpu-prof --cpu-prof-dir=DIR")
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startDaemon, waitFor } from '../../tests/harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from '../../tests/e2e/operator-env';
import { FLAGS } from '../../operator/src/runtime/flags';
import { admissionPerCr, apiserverRequests, perCr, readyCount } from './apiserver';

const N = Number(process.env.BENCH_CRS ?? 500);
/** The operator's own default unless asked otherwise (ADR 0206: the operator as shipped). */
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? FLAGS.find((f) => f.name === 'concurrency')!.default!;
const QPS = Number(process.env.BENCH_VVP_QPS ?? 50);
const RESYNC = Number(process.env.BENCH_RESYNC_SECONDS ?? 20);
const STEADY = Number(process.env.BENCH_STEADY_SECONDS ?? 45);
const GOAL = 1.5;
const NS = 'team-a';

let env: OperatorEnv;

afterAll(async () => {
  await env?.stop();
});

type Run = Awaited<ReturnType<typeof measure>>;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat (Linux, 100 ticks per second). */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * One run: apply N CRs named `${prefix}-NNNN`, wait until all are Ready, read what it cost (the controller's CPU:
 * the process `pid`, its webhook included).
 */
async function measure(prefix: string, pid: number, onTimeout: () => string) {
  const file = path.join(env.dir, `${prefix}.json`);
  const items = Array.from({ length: N }, (_, i) => seedDeployment(`${prefix}-${String(i).padStart(4, '0')}`));
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  env.emulator.requests.length = 0;
  const mark = await apiserverRequests(env.kube);
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  await env.kube.kubectl(['apply', '-f', file], { timeoutMs: 10 * 60_000 });
  const appliedMs = Date.now() - t0;
  // Ready = every CR carries Ready=True; read straight from the apiserver, the same way for every run
  const readyMs = await waitFor(
    `${prefix}: all ${N} Ready`,
    async () => (await readyCount(env.kube, NS)) === N && Date.now() - t0,
    { timeoutMs: 20 * 60_000, intervalMs: 250, onTimeout },
  );
  const cpuMsPerCr = ((cpuSeconds(pid) - cpu0) * 1000) / N;
  const after = await apiserverRequests(env.kube);
  const vvp = [...env.emulator.requests];
  const breakdown: Record<string, number> = {};
  for (const r of vvp) {
    const kind = `${r.method} ${r.path
      .replace(/\/namespaces\/[^/]+/, '/namespaces/*')
      .replace(/\/deployments\/[^/?]+/, '/deployments/*')
      .replace(/\?.*$/, '')}`;
    breakdown[kind] = (breakdown[kind] ?? 0) + 1;
  }
  return {
    appliedMs,
    readyMs,
    cpuMsPerCr,
    requests: perCr(mark, after, N),
    admission: admissionPerCr(mark, after, N),
    vvp: vvp.length,
    breakdown,
  };
}

const deleteAll = async () => {
  const t0 = Date.now();
  await env.kube.kubectl(['delete', 'vvpdeployments', '--all', '-n', NS, '--wait=true'], { timeoutMs: 10 * 60_000 });
  return Date.now() - t0;
};

function describeRun(label: string, run: Run, extra = ''): string[] {
  const per = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
  return [
    `  ${label}: all Ready ${s(run.readyMs)} (apply ${s(run.appliedMs)}, ${((N * 1000) / run.readyMs).toFixed(1)} CRs/s)${extra}`,
    `    controller CPU per CR (webhook included): ${run.cpuMsPerCr.toFixed(2)} ms`,
    `    apiserver requests per CR: ${run.requests.total.toFixed(2)} (${per(run.requests.byKind)})`,
    `    admission webhook calls per CR: ${run.admission.perCr.toFixed(2)} (${per(run.admission.byOperation)}), ` +
      `mean ${run.admission.meanMs.toFixed(1)} ms each`,
    `    VVP requests per CR: ${(run.vvp / N).toFixed(2)}` +
      (run.vvp
        ? ` (${Object.entries(run.breakdown)
            .map(([k, v]) => `${k}: ${(v / N).toFixed(2)}`)
            .join(', ')})`
        : ''),
  ];
}

it(`${N} CRs applied at once all become Ready, and steady-state resyncs write nothing to VVP`, async () => {
  env = await startOperatorEnv({ transitionDelayMs: 150 });
  const operatorFlags = (qps: number) => [
    ...['--concurrency', CONCURRENCY, '--vvp-qps', String(qps), '--resync-seconds', String(RESYNC)],
    ...['--log-level', 'warn'],
  ];

  // 1. the baseline, with the allow-all webhook registered exactly as the operator's webhook is
  const noopWebhookPort = await freePort();
  const noop = startDaemon(
    'noop-controller',
    process.execPath,
    [
      path.join(__dirname, 'noop-controller.js'),
      ...['--server', env.kube.url, '--token', env.operatorToken, '--ca', env.kube.caCertPath, '--namespace', NS],
      ...['--webhook-port', String(noopWebhookPort), '--webhook-cert', env.cert.certPath],
      ...['--webhook-key', env.cert.keyPath],
    ],
    { logFile: path.join(env.dir, 'noop-controller.log') },
  );
  await waitFor('the no-op controller', async () => noop.log().includes('ready'), {
    timeoutMs: 120_000,
    onTimeout: () => noop.log(3000),
  });
  await env.registerWebhook(noopWebhookPort);
  // kubectl's discovery cache is filled here, so no measured apply pays for it
  await env.kube.kubectl(['get', 'vvpdeployments', '-n', NS]);
  const base = await measure('base', noop.pid, () => noop.log(3000));
  await deleteAll(); // while its webhook still answers the DELETE reviews
  await noop.stop();

  // 2. the operator, unthrottled: the comparison of ADR 0206
  let op: OperatorProcess = await env.startOperator(operatorFlags(0));
  await env.registerWebhook(op.webhookPort);
  const free = await measure('free', op.daemon.pid, () => op.daemon.log(3000));
  const freeStatusWrites = await op.metric('vvp_operator_status_writes_total');
  // the throttled run starts from an empty namespace; without one, the steady state runs on these CRs
  const freeDeleteMs = QPS > 0 ? await deleteAll() : undefined;
  const ratio = free.readyMs / base.readyMs;

  // 3. the operator at the VVP rate limit, then the steady state
  let throttled: { run: Run; statusWrites: number; floorMs: number } | undefined;
  if (QPS > 0) {
    await op.daemon.stop();
    op = await env.startOperator(operatorFlags(QPS));
    await env.registerWebhook(op.webhookPort);
    const run = await measure('rate', op.daemon.pid, () => op.daemon.log(3000));
    throttled = {
      run,
      statusWrites: await op.metric('vvp_operator_status_writes_total'),
      floorMs: (run.vvp / QPS) * 1000,
    };
  }
  const ready = await readyCount(env.kube, NS);
  const rssAfterCreate = await op.metric('vvp_operator_process_resident_memory_bytes');
  const statusBefore = await op.metric('vvp_operator_status_writes_total');
  const reconcilesBefore = await op.metric('vvp_operator_reconciles_total');
  env.emulator.requests.length = 0;
  await new Promise((r) => setTimeout(r, STEADY * 1000));
  const steady = [...env.emulator.requests];
  const steadyWrites = steady.filter((r) => r.method !== 'GET').length;
  const steadyReconciles = (await op.metric('vvp_operator_reconciles_total')) - reconcilesBefore;
  const steadyStatusWrites = (await op.metric('vvp_operator_status_writes_total')) - statusBefore;
  const rss = await op.metric('vvp_operator_process_resident_memory_bytes');

  const lines = [
    `operator benchmark: ${N} CRs, --concurrency ${CONCURRENCY}, --resync-seconds ${RESYNC}, emulator transition ` +
      `delay 150 ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
    ...describeRun('baseline: no-op controller + allow-all webhook', base),
    ...describeRun(
      'operator --vvp-qps 0',
      free,
      `  ratio ${ratio.toFixed(2)} (goal <= ${GOAL}) ${ratio <= GOAL ? 'ok' : 'OVER'}`,
    ),
    `    status writes per CR: ${(freeStatusWrites / N).toFixed(2)}` +
      (freeDeleteMs === undefined ? '' : `; deleting the ${N} CRs (operator running): ${s(freeDeleteMs)}`),
    ...(throttled
      ? [
          ...describeRun(
            `operator --vvp-qps ${QPS}`,
            throttled.run,
            `  ratio ${(throttled.run.readyMs / base.readyMs).toFixed(2)} to the baseline; VVP rate floor ` +
              `${s(throttled.floorMs)} (its VVP requests / ${QPS} per s), ratio ${(throttled.run.readyMs / throttled.floorMs).toFixed(2)} to the floor`,
          ),
          `    status writes per CR: ${(throttled.statusWrites / N).toFixed(2)}`,
        ]
      : []),
    `  steady state (${STEADY} s, ~${Math.floor(STEADY / RESYNC)} resyncs): VVP writes ${steadyWrites}, VVP reads ` +
      `${steady.length - steadyWrites}, reconciles ${steadyReconciles}, status writes ${steadyStatusWrites}`,
    `  operator RSS: ${(rssAfterCreate / 2 ** 20).toFixed(0)} MiB after creation, ${(rss / 2 ** 20).toFixed(0)} MiB after the steady window`,
  ];
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(__dirname, 'last-result.txt'), `${lines.join('\n')}\n`);
  expect(ready).toBe(N);
  expect(steadyWrites).toBe(0);
  expect(steadyStatusWrites).toBe(0);
});
