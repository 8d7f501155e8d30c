/** `vvp-operator`: the composition root. Reads the configuration, wires the parts, handles signals. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { isTransient, messageOf, VvpError } from '../../core/src/errors';
import { deploymentRef, OWNER_LABEL } from '../../core/src/model/deployment';
import type { CrDeployment } from '../../core/src/model/generated';
import { resolveDeployment } from '../../core/src/sync/resolve';
import { createVvpClient, isNotFound } from '../../vvp-client/src/index';
import { Controller } from './controller/controller';
import { readApiToken } from './controller/api-token';
import { TokenBucket } from './controller/rate-limit';
import { createReconciler } from './controller/reconcile';
import { createEventRecorder } from './controller/recorder';
import { createVvpClientFactory } from './controller/vvp-clients';
import { createKubeClient } from './kube/client';
import { startProbeServer } from './runtime/http';
import { ConfigError, helpText, parseConfig, type OperatorConfig } from './runtime/config';
import { readFlagFile } from './runtime/files';
import { LeaderElector } from './runtime/leader';
import { installCrashGuards } from './runtime/guards';
import { createLogger, type Logger } from './runtime/logger';
import { createMetrics } from './runtime/metrics';
import { generateSelfSigned, loadServingPair, type ServingPair } from './webhook/certs';
import { startWebhookServer, type WebhookServer } from './webhook/server';
import type { LiveState } from './webhook/review';
import type { VvpDeploymentResource } from './kube/types';

/** Runs the operator until SIGTERM/SIGINT. */
export async function main(argv: string[]): Promise<void> {
  let config: OperatorConfig | 'help';
  try {
    config = parseConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`vvp-operator: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  if (config === 'help') {
    console.log(helpText());
    return;
  }
  await run(config);
}

async function run(config: OperatorConfig): Promise<void> {
  const log = createLogger({ level: config.logLevel });
  installCrashGuards(log);
  const metrics = createMetrics();
  const kube = createKubeClient({
    ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
    onRequest: (r) => metrics.kubeRequests.inc({ verb: r.verb, code: String(r.status) }),
  });
  const limiter = new TokenBucket({ qps: config.vvpQps, ...(config.vvpBurst ? { burst: config.vvpBurst } : {}) });
  const vvp = createVvpClientFactory({
    baseUrl: config.vvpUrl,
    limiter,
    timeoutMs: config.vvpTimeoutMs,
    onRequest: (r) => metrics.vvpRequests.inc({ method: r.method, code: String(r.status) }),
  });
  const recorder = createEventRecorder(kube, log);
  const reconciler = createReconciler({
    kube,
    vvp,
    instanceId: config.instanceId,
    recorder,
    log,
    vvpEvents: config.vvpEvents,
    hooks: {
      onNonce: (kind, action) => metrics.nonces.inc({ kind, action }),
      onStatusWrite: () => metrics.statusWrites.inc(),
    },
  });
  const controller = new Controller({
    kube,
    reconciler,
    instanceId: config.instanceId,
    namespaces: config.watchedNamespaces,
    log,
    concurrency: config.concurrency,
    resyncMs: config.resyncSeconds * 1000,
    onReconciled: (_key, result, ms) => {
      metrics.reconciles.inc({ result: result.result });
      metrics.reconcileDuration.observe({ result: result.result }, ms / 1000);
    },
    onManagedCount: (n) => metrics.managedResources.set(n),
  });
  const depthTimer = setInterval(() => metrics.queueDepth.set(controller.queue.depth()), 1000);
  depthTimer.unref();

  let webhook: WebhookServer | undefined;
  if (config.webhookPort !== undefined) {
    const pair = await servingPair(config, log);
    const liveVvp = (token: string | undefined) =>
      createVvpClient({ baseUrl: config.vvpUrl, ...(token ? { token } : {}), timeoutMs: 3000, retries: 0 });
    webhook = await startWebhookServer({
      port: config.webhookPort,
      host: config.webhookHost,
      pair,
      ...(config.webhookClientCa
        ? { clientCaPem: readFlagFile('--webhook-client-ca', config.webhookClientCa, 'a PEM CA bundle') }
        : {}),
      ...(config.webhookCert && config.webhookKey
        ? { reload: { certFile: config.webhookCert, keyFile: config.webhookKey } }
        : {}),
      instanceId: config.instanceId,
      namespaces: config.watchedNamespaces,
      log,
      liveState: (cr) => liveState(cr, kube, liveVvp),
      onReview: (operation, allowed) => metrics.admissionReviews.inc({ operation, allowed: String(allowed) }),
    });
  }

  const elector = config.leaderElection
    ? new LeaderElector({
        kube,
        namespace: config.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? config.watchedNamespaces[0]!,
        name: config.leaderElectionId ?? `vvp-operator-${config.instanceId}`,
        identity: config.identity ?? process.env.POD_NAME ?? `${os.hostname()}-${randomBytes(4).toString('hex')}`,
        leaseDurationMs: config.leaseDurationSeconds * 1000,
        retryPeriodMs: config.leaseRetrySeconds * 1000,
        renewDeadlineMs: Math.max(
          config.leaseRetrySeconds * 1000,
          Math.floor(config.leaseDurationSeconds * 1000 * (2 / 3)),
        ),
        log,
      })
    : undefined;

  const probes = await startProbeServer({
    port: config.metricsPort,
    host: config.metricsHost,
    registry: metrics.registry,
    healthy: () => !shuttingDown,
    ready: () => !shuttingDown && (elector && !elector.isLeader() ? true : controller.hasSynced()),
  });

  let shuttingDown = false;
  const shutdown = async (code: number, why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ why }, 'shutting down: finishing in-flight reconciles');
    const force = setTimeout(() => {
      log.error({}, 'shutdown took longer than 25 s; exiting');
      process.exit(code || 1);
    }, 25_000);
    force.unref();
    await controller.stop();
    await elector?.stop();
    await webhook?.stop();
    await probes.stop();
    log.info({}, 'stopped');
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  process.once('SIGINT', () => void shutdown(0, 'SIGINT'));

  log.info(
    {
      instanceId: config.instanceId,
      namespaces: config.watchedNamespaces,
      vvpUrl: config.vvpUrl,
      webhookPort: webhook?.port,
      metricsPort: probes.port,
      leaderElection: Boolean(elector),
      ownerLabel: OWNER_LABEL,
    },
    'vvp-operator started',
  );
  if (elector) {
    metrics.leader.set(0);
    elector.run({
      onStarted: () => {
        metrics.leader.set(1);
        controller.start();
      },
      onStopped: () => {
        metrics.leader.set(0);
        void shutdown(1, 'lost the leader lease');
      },
    });
  } else {
    controller.start();
  }
}

async function servingPair(config: OperatorConfig, log: Logger): Promise<ServingPair> {
  if (config.webhookCert && config.webhookKey)
    return loadServingPair(config.webhookCert, config.webhookKey, config.webhookCa);
  const pair = await generateSelfSigned(config.webhookHosts);
  if (config.webhookCaOut) {
    try {
      fs.writeFileSync(config.webhookCaOut, pair.caPem);
    } catch (err) {
      throw new ConfigError(
        `--webhook-ca-out ${config.webhookCaOut}: ${messageOf(err)}; pass a file path the operator may write`,
      );
    }
  }
  log.info(
    { caBundle: Buffer.from(pair.caPem).toString('base64'), caOut: config.webhookCaOut },
    'generated a self-signed webhook certificate (development only)',
  );
  return pair;
}

async function liveState(
  cr: VvpDeploymentResource,
  kube: Parameters<typeof readApiToken>[0],
  client: (token: string | undefined) => ReturnType<typeof createVvpClient>,
): Promise<LiveState> {
  const ref = deploymentRef(resolveDeployment((cr.spec as { deployment?: CrDeployment } | undefined)?.deployment));
  if (!ref) return { found: false };
  const token = await readApiToken(kube, cr);
  try {
    const d = await client(token).getDeployment(ref.namespace, ref.name);
    if (cr.status?.deploymentId && d.metadata.id !== cr.status.deploymentId) return { found: false };
    return { found: true, actualState: d.status?.state };
  } catch (err) {
    if (isNotFound(err)) return { found: false };
    // the message only (VVP's answer, secrets removed): the webhook quotes it in a warning
    throw new VvpError(messageOf(err), { source: 'vvp', transient: isTransient(err) });
  }
}
