/** The operator's configuration: command-line flags, each also settable as a VVP_OPERATOR_* environment variable. */
import { parseArgs } from 'node:util';

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

interface Flag {
  name: string;
  type: 'string' | 'boolean';
  arg?: string;
  help: string;
  default?: string;
}

/** Every flag, in help order; the env var is VVP_OPERATOR_ + the name in upper snake case. */
export const FLAGS: readonly Flag[] = [
  {
    name: 'instance-id',
    type: 'string',
    arg: 'ID',
    help: 'identity of this operator instance; CRs are reconciled only when their label ververica.platform/owner equals it (required)',
  },
  {
    name: 'watched-namespaces',
    type: 'string',
    arg: 'NS1,NS2',
    help: 'comma-separated Kubernetes namespaces to watch (required)',
  },
  {
    name: 'vvp-url',
    type: 'string',
    arg: 'URL',
    help: 'base URL of Ververica Platform, e.g. http://vvp-ververica-platform.vvp:80 (required)',
  },
  {
    name: 'kubeconfig',
    type: 'string',
    arg: 'FILE',
    help: 'kubeconfig to use; default in-cluster config, then $KUBECONFIG, then ~/.kube/config',
  },
  {
    name: 'webhook-port',
    type: 'string',
    arg: 'P',
    help: 'serve the validating admission webhook over HTTPS on this port (POST /validate-vvpdeployment); off when absent',
  },
  { name: 'webhook-host', type: 'string', arg: 'H', help: 'interface of the webhook server', default: '0.0.0.0' },
  {
    name: 'webhook-cert',
    type: 'string',
    arg: 'FILE',
    help: 'PEM serving certificate (chain) of the webhook, e.g. cert-manager tls.crt; reloaded when it changes',
  },
  { name: 'webhook-key', type: 'string', arg: 'FILE', help: 'PEM private key of the webhook, e.g. tls.key' },
  {
    name: 'webhook-ca',
    type: 'string',
    arg: 'FILE',
    help: 'PEM CA of the serving certificate (only logged as a hint for the caBundle)',
  },
  {
    name: 'webhook-client-ca',
    type: 'string',
    arg: 'FILE',
    help: 'PEM CA bundle: the webhook then accepts only clients with a certificate it signed (the apiserver admission client certificate)',
  },
  {
    name: 'webhook-self-signed',
    type: 'boolean',
    help: 'generate a self-signed serving certificate at start (development only)',
  },
  {
    name: 'webhook-ca-out',
    type: 'string',
    arg: 'FILE',
    help: 'with --webhook-self-signed: write the certificate (the caBundle to register) to FILE',
  },
  {
    name: 'webhook-hosts',
    type: 'string',
    arg: 'H1,H2',
    help: 'with --webhook-self-signed: extra DNS names or IPs for the certificate (127.0.0.1, ::1, localhost always)',
  },
  {
    name: 'metrics-port',
    type: 'string',
    arg: 'M',
    help: 'HTTP port of /metrics, /healthz and /readyz (0 picks a free port)',
    default: '8080',
  },
  { name: 'metrics-host', type: 'string', arg: 'H', help: 'interface of the metrics server', default: '0.0.0.0' },
  {
    name: 'resync-seconds',
    type: 'string',
    arg: 'S',
    help: 'every CR is reconciled at least this often',
    default: '300',
  },
  {
    name: 'concurrency',
    type: 'string',
    arg: 'N',
    help: 'CRs reconciled in parallel (one reconcile per CR at a time)',
    default: '4',
  },
  {
    name: 'vvp-qps',
    type: 'string',
    arg: 'Q',
    help: 'global rate limit of requests to VVP per second (0 = unlimited)',
    default: '50',
  },
  { name: 'vvp-burst', type: 'string', arg: 'B', help: 'burst of the VVP rate limit (default 2 × qps)' },
  { name: 'vvp-timeout-ms', type: 'string', arg: 'MS', help: 'timeout of each VVP request', default: '15000' },
  {
    name: 'vvp-events',
    type: 'string',
    arg: 'true|false',
    help: 'record each action as an event in VVP (the deployment Events tab)',
    default: 'true',
  },
  {
    name: 'leader-election',
    type: 'boolean',
    help: 'elect a leader through a Lease so that only one replica reconciles (the webhook serves on every replica)',
  },
  {
    name: 'leader-election-namespace',
    type: 'string',
    arg: 'NS',
    help: 'namespace of the Lease; default $POD_NAMESPACE, else the first watched namespace',
  },
  {
    name: 'leader-election-id',
    type: 'string',
    arg: 'NAME',
    help: 'name of the Lease; default vvp-operator-<instance-id>',
  },
  {
    name: 'lease-duration-seconds',
    type: 'string',
    arg: 'S',
    help: 'how long a lease lasts without renewal',
    default: '15',
  },
  {
    name: 'lease-retry-seconds',
    type: 'string',
    arg: 'S',
    help: 'how often to try to acquire or renew the lease',
    default: '2',
  },
  {
    name: 'identity',
    type: 'string',
    arg: 'ID',
    help: 'this replica in the Lease; default $POD_NAME or hostname plus a random suffix',
  },
  {
    name: 'log-level',
    type: 'string',
    arg: 'LEVEL',
    help: 'trace, debug, info, warn or error (JSON logs on stdout)',
    default: 'info',
  },
];

/** The env var of a flag: `--vvp-url` → `VVP_OPERATOR_VVP_URL`. */
export function envName(flag: string): string {
  return `VVP_OPERATOR_${flag.toUpperCase().replace(/-/g, '_')}`;
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

/** A configuration problem; the message names the flag, the value and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(
      `--${name} must be an integer of at least ${min} (got "${raw}"); also settable as ${envName(name)}`,
    );
  return n;
}

function bool(name: string, raw: string | boolean | undefined): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === undefined || raw === '') return false;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`--${name} must be true or false (got "${raw}")`);
}

/** Parses flags and environment; returns `help` when --help was asked for. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): OperatorConfig | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const f of FLAGS) options[f.name] = { type: f.type };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}; see --help`);
  }
  if (values.help) return 'help';
  const get = (name: string): string | undefined => {
    const v = values[name];
    if (typeof v === 'string') return v;
    if (v === true) return 'true';
    const fromEnv = env[envName(name)];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    return FLAGS.find((f) => f.name === name)?.default;
  };
  const required = (name: string): string => {
    const v = get(name);
    if (!v) throw new ConfigError(`--${name} is required (or ${envName(name)}); see --help`);
    return v;
  };
  const list = (raw: string | undefined) =>
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const instanceId = required('instance-id');
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(instanceId)) {
    throw new ConfigError(
      `--instance-id "${instanceId}" must be a valid label value (at most 63 characters of A-Z, a-z, 0-9, '-', '_', '.', starting and ending alphanumeric)`,
    );
  }
  const watchedNamespaces = list(required('watched-namespaces'));
  if (watchedNamespaces.length === 0)
    throw new ConfigError('--watched-namespaces names no namespace; give a comma-separated list such as team-a,team-b');
  const vvpUrl = required('vvp-url');
  try {
    const u = new URL(vvpUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`--vvp-url "${vvpUrl}" is not an http(s) URL; e.g. http://vvp-ververica-platform.vvp:80`);
  }
  const webhookPort = int('webhook-port', get('webhook-port'), 0);
  const webhookSelfSigned = bool('webhook-self-signed', get('webhook-self-signed'));
  const webhookCert = get('webhook-cert');
  const webhookKey = get('webhook-key');
  if (webhookPort !== undefined && !webhookSelfSigned && (!webhookCert || !webhookKey)) {
    throw new ConfigError(
      '--webhook-port needs --webhook-cert and --webhook-key (e.g. from a cert-manager Secret), or --webhook-self-signed for development',
    );
  }
  if ((webhookCert === undefined) !== (webhookKey === undefined))
    throw new ConfigError('--webhook-cert and --webhook-key go together; give both');

  const cfg: OperatorConfig = {
    instanceId,
    watchedNamespaces,
    vvpUrl,
    webhookHost: get('webhook-host') ?? '0.0.0.0',
    webhookSelfSigned,
    webhookHosts: list(get('webhook-hosts')),
    metricsPort: int('metrics-port', get('metrics-port'), 0) ?? 8080,
    metricsHost: get('metrics-host') ?? '0.0.0.0',
    resyncSeconds: int('resync-seconds', get('resync-seconds'), 1) ?? 300,
    concurrency: int('concurrency', get('concurrency'), 1) ?? 4,
    vvpQps: int('vvp-qps', get('vvp-qps'), 0) ?? 50,
    vvpTimeoutMs: int('vvp-timeout-ms', get('vvp-timeout-ms'), 100) ?? 15000,
    vvpEvents: bool('vvp-events', get('vvp-events')),
    leaderElection: bool('leader-election', get('leader-election')),
    leaseDurationSeconds: int('lease-duration-seconds', get('lease-duration-seconds'), 1) ?? 15,
    leaseRetrySeconds: int('lease-retry-seconds', get('lease-retry-seconds'), 1) ?? 2,
    logLevel: get('log-level') ?? 'info',
  };
  const optional: [keyof OperatorConfig, string | number | undefined][] = [
    ['kubeconfig', get('kubeconfig')],
    ['webhookPort', webhookPort],
    ['webhookCert', webhookCert],
    ['webhookKey', webhookKey],
    ['webhookCa', get('webhook-ca')],
    ['webhookClientCa', get('webhook-client-ca')],
    ['webhookCaOut', get('webhook-ca-out')],
    ['vvpBurst', int('vvp-burst', get('vvp-burst'), 1)],
    ['leaderElectionNamespace', get('leader-election-namespace')],
    ['leaderElectionId', get('leader-election-id')],
    ['identity', get('identity')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  if (cfg.leaseRetrySeconds >= cfg.leaseDurationSeconds)
    throw new ConfigError(
      `--lease-retry-seconds (${cfg.leaseRetrySeconds}) must be shorter than --lease-duration-seconds (${cfg.leaseDurationSeconds})`,
    );
  return cfg;
}
