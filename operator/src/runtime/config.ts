/** The operator's configuration: command-line flags, each also settable as a VVP_OPERATOR_* environment variable. */
import { parseArgs } from 'node:util';
import { VvpError } from '../../../core/src/errors';
import { instanceIdProblem } from '../../../core/src/ownership';
import { envName, FLAGS, type Flag, type OperatorConfig } from './flags';

export { envName, FLAGS, helpText, type OperatorConfig } from './flags';

/** A configuration problem; the message names the flag, the value and the fix. */
export class ConfigError extends VvpError {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message, { source: 'config' });
  }
}

/** Reads one flag's text as its kind says; the message names the flag, its variable, the value and the rule. */
function convert(flag: Flag, raw: string): unknown {
  switch (flag.kind) {
    case 'string':
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    case 'int': {
      const n = Number(raw);
      const min = flag.min ?? 0;
      if (!Number.isInteger(n) || n < min)
        throw new ConfigError(
          `--${flag.name} must be an integer of at least ${min} (got "${raw}"); also settable as ${envName(flag.name)}`,
        );
      return n;
    }
    case 'bool':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      throw new ConfigError(`--${flag.name} must be true or false (got "${raw}")`);
  }
}

/** Parses flags and environment; returns `help` when --help was asked for. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): OperatorConfig | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const f of FLAGS) options[f.name] = { type: f.switch ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}; see --help`);
  }
  if (values.help) return 'help';
  // a flag wins over its variable, the variable over the default
  const cfg: Record<string, unknown> = {};
  for (const f of FLAGS) {
    const given = values[f.name];
    const fromEnv = env[envName(f.name)];
    const raw =
      typeof given === 'string'
        ? given
        : given === true
          ? 'true'
          : fromEnv !== undefined && fromEnv !== ''
            ? fromEnv
            : f.default;
    if (raw === undefined || raw === '') {
      if (f.required) throw new ConfigError(`--${f.name} is required (or ${envName(f.name)}); see --help`);
      if (f.kind === 'bool') cfg[f.key] = false;
      if (f.kind === 'list') cfg[f.key] = [];
      continue;
    }
    cfg[f.key] = convert(f, raw);
  }
  return checked(cfg as unknown as OperatorConfig);
}

/** The rules between flags and of single values beyond their kind. */
function checked(cfg: OperatorConfig): OperatorConfig {
  const instanceId = instanceIdProblem(`--instance-id`, cfg.instanceId);
  if (instanceId) throw new ConfigError(instanceId);
  if (cfg.watchedNamespaces.length === 0)
    throw new ConfigError('--watched-namespaces names no namespace; give a comma-separated list such as team-a,team-b');
  try {
    const u = new URL(cfg.vvpUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`--vvp-url "${cfg.vvpUrl}" is not an http(s) URL; e.g. http://vvp-ververica-platform.vvp:80`);
  }
  if (cfg.webhookPort !== undefined && !cfg.webhookSelfSigned && (!cfg.webhookCert || !cfg.webhookKey)) {
    throw new ConfigError(
      '--webhook-port needs --webhook-cert and --webhook-key (e.g. from a cert-manager Secret), or --webhook-self-signed for development',
    );
  }
  if ((cfg.webhookCert === undefined) !== (cfg.webhookKey === undefined))
    throw new ConfigError('--webhook-cert and --webhook-key go together; give both');
  if (cfg.leaseRetrySeconds >= cfg.leaseDurationSeconds)
    throw new ConfigError(
      `--lease-retry-seconds (${cfg.leaseRetrySeconds}) must be shorter than --lease-duration-seconds (${cfg.leaseDurationSeconds})`,
    );
  return cfg;
}
