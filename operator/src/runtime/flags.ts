/** The operator's flags: one table of names, config fields, kinds, defaults and help; env names and --help derive from it. */
import { operatorEnvName } from '../../../core/src/operator-flags';

/** The resolved configuration. */
export interface OperatorConfig {
  instanceId: string;
  watchedNamespaces: string[];
  vvpUrl: string;
  kubeconfig?: string;
  webhookPort?: number;
  webhookHost: string;
  webhookCert?: string;
  webhookKey?: string;
  webhookCa?: string;
  webhookClientCa?: string;
  webhookSelfSigned: boolean;
  webhookCaOut?: string;
  webhookHosts: string[];
  metricsPort: number;
  metricsHost: string;
  resyncSeconds: number;
  concurrency: number;
  vvpQps: number;
  vvpBurst?: number;
  vvpTimeoutMs: number;
  vvpEvents: boolean;
  leaderElection: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId?: string;
  leaseDurationSeconds: number;
  leaseRetrySeconds: number;
  identity?: string;
  logLevel: string;
}

/** One flag: its name, the config field it sets, how its text is read, its help and default. */
export interface Flag {
  name: string;
  /** The field of OperatorConfig it sets. */
  key: keyof OperatorConfig;
  /** string: as given; int: a whole number of at least `min`; bool: true/false/1/0/yes/no; list: comma-separated. */
  kind: 'string' | 'int' | 'bool' | 'list';
  /** Smallest value of an int. */
  min?: number;
  /** The flag takes no value (`--leader-election`). */
  switch?: boolean;
  required?: boolean;
  arg?: string;
  help: string;
  default?: string;
}

/** Every flag, in help order: the one table of names, config fields, defaults and (through envName) env names. */
export const FLAGS: readonly Flag[] = [
  {
    name: 'instance-id',
    key: 'instanceId',
    kind: 'string',
    required: true,
    arg: 'ID',
    help: 'identity of this operator instance; CRs are reconciled only when their label ververica.platform/owner equals it (required)',
  },
  {
    name: 'watched-namespaces',
    key: 'watchedNamespaces',
    kind: 'list',
    required: true,
    arg: 'NS1,NS2',
    help: 'comma-separated Kubernetes namespaces to watch (required)',
  },
  {
    name: 'vvp-url',
    key: 'vvpUrl',
    kind: 'string',
    required: true,
    arg: 'URL',
    help: 'base URL of Ververica Platform, e.g. http://vvp-ververica-platform.vvp:80 (required)',
  },
  {
    name: 'kubeconfig',
    key: 'kubeconfig',
    kind: 'string',
    arg: 'FILE',
    help: 'kubeconfig to use; default in-cluster config, then $KUBECONFIG, then ~/.kube/config',
  },
  {
    name: 'webhook-port',
    key: 'webhookPort',
    kind: 'int',
    min: 0,
    arg: 'P',
    help: 'serve the validating admission webhook over HTTPS on this port (POST /validate-vvpdeployment); off when absent',
  },
  {
    name: 'webhook-host',
    key: 'webhookHost',
    kind: 'string',
    arg: 'H',
    help: 'interface of the webhook server',
    default: '0.0.0.0',
  },
  {
    name: 'webhook-cert',
    key: 'webhookCert',
    kind: 'string',
    arg: 'FILE',
    help: 'PEM serving certificate (chain) of the webhook, e.g. cert-manager tls.crt; reloaded when it changes',
  },
  {
    name: 'webhook-key',
    key: 'webhookKey',
    kind: 'string',
    arg: 'FILE',
    help: 'PEM private key of the webhook, e.g. tls.key',
  },
  {
    name: 'webhook-ca',
    key: 'webhookCa',
    kind: 'string',
    arg: 'FILE',
    help: 'PEM CA of the serving certificate (only logged as a hint for the caBundle)',
  },
  {
    name: 'webhook-client-ca',
    key: 'webhookClientCa',
    kind: 'string',
    arg: 'FILE',
    help: 'PEM CA bundle: the webhook then accepts only clients with a certificate it signed (the apiserver admission client certificate)',
  },
  {
    name: 'webhook-self-signed',
    key: 'webhookSelfSigned',
    kind: 'bool',
    switch: true,
    help: 'generate a self-signed serving certificate at start (development only)',
  },
  {
    name: 'webhook-ca-out',
    key: 'webhookCaOut',
    kind: 'string',
    arg: 'FILE',
    help: 'with --webhook-self-signed: write the certificate (the caBundle to register) to FILE',
  },
  {
    name: 'webhook-hosts',
    key: 'webhookHosts',
    kind: 'list',
    arg: 'H1,H2',
    help: 'with --webhook-self-signed: extra DNS names or IPs for the certificate (127.0.0.1, ::1, localhost always)',
  },
  {
    name: 'metrics-port',
    key: 'metricsPort',
    kind: 'int',
    min: 0,
    arg: 'M',
    help: 'HTTP port of /metrics, /healthz and /readyz (0 picks a free port)',
    default: '8080',
  },
  {
    name: 'metrics-host',
    key: 'metricsHost',
    kind: 'string',
    arg: 'H',
    help: 'interface of the metrics server',
    default: '0.0.0.0',
  },
  {
    name: 'resync-seconds',
    key: 'resyncSeconds',
    kind: 'int',
    min: 1,
    arg: 'S',
    help: 'every CR is reconciled at least this often',
    default: '300',
  },
  {
    name: 'concurrency',
    key: 'concurrency',
    kind: 'int',
    min: 1,
    arg: 'N',
    help: 'CRs reconciled in parallel (one reconcile per CR at a time)',
    default: '4',
  },
  {
    name: 'vvp-qps',
    key: 'vvpQps',
    kind: 'int',
    min: 0,
    arg: 'Q',
    help: 'global rate limit of requests to VVP per second (0 = unlimited)',
    default: '50',
  },
  {
    name: 'vvp-burst',
    key: 'vvpBurst',
    kind: 'int',
    min: 1,
    arg: 'B',
    help: 'burst of the VVP rate limit (default 2 × qps)',
  },
  {
    name: 'vvp-timeout-ms',
    key: 'vvpTimeoutMs',
    kind: 'int',
    min: 100,
    arg: 'MS',
    help: 'timeout of each VVP request',
    default: '15000',
  },
  {
    name: 'vvp-events',
    key: 'vvpEvents',
    kind: 'bool',
    arg: 'true|false',
    help: 'record each action as an event in VVP (the deployment Events tab)',
    default: 'true',
  },
  {
    name: 'leader-election',
    key: 'leaderElection',
    kind: 'bool',
    switch: true,
    help: 'elect a leader through a Lease so that only one replica reconciles (the webhook serves on every replica)',
  },
  {
    name: 'leader-election-namespace',
    key: 'leaderElectionNamespace',
    kind: 'string',
    arg: 'NS',
    help: 'namespace of the Lease; default $POD_NAMESPACE, else the first watched namespace',
  },
  {
    name: 'leader-election-id',
    key: 'leaderElectionId',
    kind: 'string',
    arg: 'NAME',
    help: 'name of the Lease; default vvp-operator-<instance-id>',
  },
  {
    name: 'lease-duration-seconds',
    key: 'leaseDurationSeconds',
    kind: 'int',
    min: 1,
    arg: 'S',
    help: 'how long a lease lasts without renewal',
    default: '15',
  },
  {
    name: 'lease-retry-seconds',
    key: 'leaseRetrySeconds',
    kind: 'int',
    min: 1,
    arg: 'S',
    help: 'how often to try to acquire or renew the lease',
    default: '2',
  },
  {
    name: 'identity',
    key: 'identity',
    kind: 'string',
    arg: 'ID',
    help: 'this replica in the Lease; default $POD_NAME or hostname plus a random suffix',
  },
  {
    name: 'log-level',
    key: 'logLevel',
    kind: 'string',
    arg: 'LEVEL',
    help: 'trace, debug, info, warn or error (JSON logs on stdout)',
    default: 'info',
  },
];

/** The env var of a flag: `--vvp-url` → `VVP_OPERATOR_VVP_URL`. */
export function envName(flag: string): string {
  return operatorEnvName(flag);
}

/** The --help text. */
export function helpText(): string {
  const rows = FLAGS.map((f) => {
    const left = `  --${f.name}${f.arg ? ` ${f.arg}` : ''}`;
    return `${left.padEnd(38)} ${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}\n${''.padEnd(39)}env ${envName(f.name)}`;
  });
  return [
    'vvp-operator: reconciles VvpDeployment custom resources (ververica.platform/v1) into Ververica Platform and',
    'serves their validating admission webhook.',
    '',
    'Usage: vvp-operator --instance-id ID --watched-namespaces ns1,ns2 --vvp-url URL [--kubeconfig FILE]',
    '                    [--webhook-port P --webhook-cert FILE --webhook-key FILE] [--metrics-port M]',
    '                    [--resync-seconds S] [--concurrency N] [--leader-election]',
    '',
    'Flags (a flag wins over its environment variable; booleans take true/false/1/0 in the environment):',
    ...rows,
    '  -h, --help                             show this help',
    '',
    'Endpoints: webhook POST /validate-vvpdeployment (HTTPS, --webhook-port); GET /metrics, /healthz, /readyz',
    '(HTTP, --metrics-port). Signals: SIGTERM/SIGINT finish in-flight reconciles, release the lease, exit 0.',
  ].join('\n');
}
