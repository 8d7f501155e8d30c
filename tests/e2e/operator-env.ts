/**
 * E2E environment for the operator: a real etcd + kube-apiserver (tests/harness/kube.ts), the VVP emulator, the
 * VvpDeployment CRD from crds/, an operator user bound to the operator's ClusterRole (real RBAC), and the operator
 * PROCESS from dist/ (`node bin/vvp-operator.js ...`) with its webhook registered in the apiserver.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../emulator/src/server';
import { makeServingCert, type ServingCert } from '../harness/certs';
import { startKube, type Kube } from '../harness/kube';
import { freePort, startDaemon, waitFor, type Daemon } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';
import { seedResource } from '../fixtures/seed';
import { ensureBuilt } from '../harness/dist';
import { webhookConfigurationManifest } from '../../sdk/src/cdk8s/vvp-operator-webhook';

/** The RBAC the operator needs (kept in sync with docs/operator.md). */
export const OPERATOR_CLUSTER_ROLE = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'vvp-operator' },
  rules: [
    {
      apiGroups: ['ververica.platform'],
      resources: ['vvpdeployments'],
      verbs: ['get', 'list', 'watch', 'patch', 'update'],
    },
    { apiGroups: ['ververica.platform'], resources: ['vvpdeployments/status'], verbs: ['get', 'patch', 'update'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  ],
};

export const OPERATOR_USER = 'system:serviceaccount:vvp-system:vvp-operator';

/** Options of the environment. */
export interface OperatorEnvOptions {
  instanceId?: string;
  namespaces?: string[];
  /** Emulator state-machine phase delay. @default 150 */
  transitionDelayMs?: number;
  /** Register the validating webhook of the first operator. @default true */
  webhook?: boolean;
  /** Extra kube-apiserver flags (e.g. an admission configuration). */
  apiServerArgs?: string[];
  /** The emulated VVP (ADR 0009, 0010). @default profile vvp-3, Autopilot every 10 s */
  emulator?: Pick<EmulatorOptions, 'profile' | 'autopilotIntervalMs'>;
}

/** Options of one operator process. */
export interface StartOperatorOptions {
  name?: string;
  selfSigned?: boolean;
  /** The VVP it talks to. @default the env's emulator */
  vvpUrl?: string;
  /** The namespaces it watches. @default the env's */
  namespaces?: string[];
}

/** One operator process. */
export interface OperatorProcess {
  daemon: Daemon;
  metricsPort: number;
  webhookPort: number;
  metrics(): Promise<string>;
  /** A metric's value (sum over label sets matching `labels`). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** A running environment. */
export interface OperatorEnv {
  kube: Kube;
  emulator: EmulatorHandle;
  instanceId: string;
  namespaces: string[];
  vvpToken: string;
  operatorToken: string;
  cert: ServingCert;
  dir: string;
  /** Starts an operator process (extra flags appended); `vvpUrl` and `namespaces` replace the env's. */
  startOperator(extra?: string[], opts?: StartOperatorOptions): Promise<OperatorProcess>;
  /** Registers the validating webhook configuration pointing at `port` (caBundle: the test CA unless given). */
  registerWebhook(port: number, caPem?: string): Promise<void>;
  /** kubectl apply of a manifest object (as the admin, i.e. a user). */
  apply(obj: unknown): Promise<void>;
  stop(): Promise<void>;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 3000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Sums a Prometheus metric from its text exposition. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+([-\d.eE+]+|NaN)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

/** Starts kube-apiserver + etcd, the emulator, the CRD, namespaces, RBAC and the API token Secret. */
export async function startOperatorEnv(options: OperatorEnvOptions = {}): Promise<OperatorEnv> {
  await ensureBuilt();
  const instanceId = options.instanceId ?? 'my-operator';
  const namespaces = options.namespaces ?? ['team-a'];
  const operatorToken = `op-${Math.random().toString(36).slice(2)}`;
  const kube = await startKube({
    users: [{ token: operatorToken, user: OPERATOR_USER, groups: ['system:serviceaccounts'] }],
    ...(options.apiServerArgs ? { apiServerArgs: options.apiServerArgs } : {}),
  });
  const daemons: Daemon[] = [];
  let emulator: EmulatorHandle | undefined;
  try {
    // profile vvp-3 (ADR 0009): the operator's token manages what it creates; tests edit through emulator.store
    emulator = await startEmulator({
      profile: 'vvp-3',
      ...options.emulator,
      defaultTarget: 'default',
      transitionDelayMs: options.transitionDelayMs ?? 150,
      token: `admin-${Math.random().toString(36).slice(2)}`,
    });
    const vvpToken = emulator.createToken('default', 'editor', 'operator');
    await kube.kubectl(['apply', '-f', path.join(REPO_ROOT, 'crds', 'vvpdeployments.yaml')]);
    await kube.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/vvpdeployments.ververica.platform',
      '--timeout=60s',
    ]);
    const cert = makeServingCert({ dir: path.join(kube.dir, 'webhook-pki') });
    const apply = async (obj: unknown) => {
      await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
    };
    for (const ns of namespaces) {
      await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'my-vvp-apikey', namespace: ns },
        stringData: { token: vvpToken },
      });
    }
    await apply(OPERATOR_CLUSTER_ROLE);
    await apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'vvp-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'vvp-operator' },
      subjects: [{ kind: 'User', name: OPERATOR_USER, apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const operatorKubeconfig = kube.kubeconfigFor(operatorToken, 'vvp-operator');
    let count = 0;

    const startOperator = async (extra: string[] = [], o: StartOperatorOptions = {}): Promise<OperatorProcess> => {
      const [metricsPort, webhookPort] = [await freePort(), await freePort()];
      const name = o.name ?? `vvp-operator-${++count}`;
      const daemon = startDaemon(
        name,
        process.execPath,
        [
          // e.g. BENCH_OPERATOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses --cpu-prof)
          ...(process.env.BENCH_OPERATOR_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
          path.join(REPO_ROOT, 'bin', 'vvp-operator.js'),
          '--instance-id',
          instanceId,
          '--watched-namespaces',
          (o.namespaces ?? namespaces).join(','),
          '--vvp-url',
          o.vvpUrl ?? emulator!.url,
          '--kubeconfig',
          operatorKubeconfig,
          '--webhook-port',
          String(webhookPort),
          '--webhook-host',
          '127.0.0.1',
          ...(o.selfSigned
            ? ['--webhook-self-signed', '--webhook-ca-out', path.join(kube.dir, `${o.name ?? 'op'}-ca.pem`)]
            : ['--webhook-cert', cert.certPath, '--webhook-key', cert.keyPath]),
          '--metrics-port',
          String(metricsPort),
          '--metrics-host',
          '127.0.0.1',
          '--identity',
          name,
          ...extra,
        ],
        { logFile: path.join(kube.dir, `${name}.log`), cwd: REPO_ROOT, env: { ...process.env, KUBECONFIG: '' } },
      );
      daemons.push(daemon);
      const metricsUrl = `http://127.0.0.1:${metricsPort}`;
      await waitFor(
        `${name} /healthz`,
        async () => {
          if (!daemon.running()) throw new Error(`${name} exited`);
          return (await get(`${metricsUrl}/healthz`)).status === 200;
        },
        { timeoutMs: 30_000, onTimeout: () => daemon.log() },
      );
      const metrics = async () => (await get(`${metricsUrl}/metrics`)).body;
      return { daemon, metricsPort, webhookPort, metrics, metric: async (n, l) => metricValue(await metrics(), n, l) };
    };

    // the registration the VvpOperator chart ships (both entries, selectors, matchConditions, failurePolicy), with a
    // URL client config pointing at this operator process
    const registerWebhook = async (port: number, caPem?: string) => {
      const caBundle = caPem ? Buffer.from(caPem).toString('base64') : cert.caBundle;
      await apply(
        webhookConfigurationManifest(
          { instanceId, caBundle, webhookClientConfig: { url: `https://127.0.0.1:${port}` } },
          { name: 'vvp-operator', ns: 'vvp-system' },
        ),
      );
    };

    return {
      kube,
      emulator,
      instanceId,
      namespaces,
      vvpToken,
      operatorToken,
      cert,
      dir: kube.dir,
      startOperator,
      registerWebhook,
      apply,
      async stop() {
        for (const d of daemons) await d.stop();
        await emulator?.stop();
        await kube.stop();
      },
    };
  } catch (err) {
    for (const d of daemons) await d.stop();
    await emulator?.stop();
    await kube.stop();
    throw err;
  }
}

/** The seed document's CR (CANCELLED, PATCH, initFields), as a manifest object. */
export function seedDeployment(name = 'my-deployment', namespace = 'team-a', instanceId = 'my-operator') {
  return seedResource(name, namespace, instanceId);
}
