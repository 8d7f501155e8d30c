/** `vvp-emulator`: runs the emulator from the command line until SIGINT or SIGTERM. */
import { parseArgs } from 'node:util';
import { DEFAULT_AUTOPILOT_INTERVAL_MS } from './autopilot';
import { DEFAULT_BODY_LIMITS } from './body';
import { checkPlatform, FLAG_NAMES, type PlatformOptions } from './platform';
import { DEFAULT_PROFILE, PROFILES, type Profile } from './profiles';
import { DEFAULT_MAX_REQUEST_LOG, startEmulator } from './server';
import { DEFAULT_MAX_EVENTS } from './store';

const profileLines = Object.values(PROFILES)
  .map((p: Profile) => `                           ${p.name.padEnd(8)} ${p.description}`)
  .join('\n');

const HELP = `vvp-emulator: a local Ververica Platform REST API (deployments, jobs, savepoints, events,
deployment targets and defaults, session clusters, secret values, Autopilot policies, API tokens, namespaces)
with a state machine and fault injection.

Usage: vvp-emulator [--port P] [--host H] [--token T] [--admin-token A] [--transition-delay-ms N] [--data-dir D]
                    [--profile P] [--unknown-fields drop|reject|keep] [--default-target NAME]
                    [--global-defaults FILE] [--max-body-bytes N] [--max-body-depth N] [--max-request-log N]
                    [--max-events N] [--autopilot-interval-ms N]

  --port P                 port to listen on (0 picks a free one)                  default 8080
  --host H                 interface to listen on                                   default 127.0.0.1
  --token T                require "Authorization: Bearer T" (platform admin: owner of every namespace, the
                           only one that may list, create or delete namespaces) or a token created through
                           /apitokens/v1 (its role in its own namespace); without it anonymous access is allowed
  --admin-token A          secret of the admin routes /__emulator/*                 default: the --token
  --transition-delay-ms N  delay of each state-machine phase (TRANSITIONING steps)  default 1000
  --data-dir D             keep the state in D across restarts; a write is saved     default: memory only
                           (fsync + atomic rename) before its 2xx; a failed save answers 507 (disk full) or 503
  --profile P              the emulated platform (docs/adr/0009)                    default ${DEFAULT_PROFILE}
${profileLines}
  --unknown-fields U       fields outside the profile's model: drop (stored without them), reject (400 naming
                           the first one) or keep (stored and echoed)               default drop (lenient keep)
  --default-target NAME    give every namespace a deployment target NAME (Kubernetes namespace vvp-jobs for
                           VVP namespace default, else the namespace's name)        default: none, as on a
                           fresh VVP (create one with POST /api/v1/namespaces/N/deployment-targets)
  --global-defaults FILE   global deployment defaults (JSON if FILE ends in .json, else YAML): the spec, bare or
                           as {spec: ...}; replaces the built-in ones; checked against the profile's model;
                           served by GET /api/v1/global-deployment-defaults
  --max-body-bytes N       largest request body (413 beyond)                        default ${DEFAULT_BODY_LIMITS.maxBodyBytes}
  --max-body-depth N       deepest nesting of a JSON or YAML body (400 beyond)      default ${DEFAULT_BODY_LIMITS.maxDepth}
  --max-request-log N      entries kept in the request log (oldest dropped)         default ${DEFAULT_MAX_REQUEST_LOG}
  --max-events N           events kept per namespace (oldest dropped)               default ${DEFAULT_MAX_EVENTS}
  --autopilot-interval-ms N
                           how often an ACTIVE Autopilot policy scales a RUNNING    default ${DEFAULT_AUTOPILOT_INTERVAL_MS}
                           deployment (vvp-2.4/lenient: PATCHes parallelism +1/-1; vvp-3: CANCELLED,
                           STARTING, RUNNING with a new runtime parallelism)
  -h, --help               show this help

Admin routes (not part of VVP; they need the admin secret when --admin-token or --token is set):
GET|DELETE /__emulator/requests (request log), DELETE /__emulator/faults,
POST /__emulator/faults {"routes":[{"method","path","status","message","latencyMs","drop","times"}],
"behaviour":{"failJobs","failSavepoints","finishJobs"}}; "path" is literal text with '.', '.*', '^' and '$'.
POST /__emulator/autopilot/step {"namespace","deploymentId"}: one Autopilot scaling step now (the policy must be
AUTOPILOT_MODE_ACTIVE and the deployment RUNNING; 409 otherwise); answers the policy's :status.

Environment: VVP_EMULATOR_TOKEN is used when --token is not given, VVP_EMULATOR_ADMIN_TOKEN when --admin-token is not.
Prints "listening on http://HOST:PORT" once ready.`;

/** Longest delay a Node.js timer keeps (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

function fail(message: string): never {
  console.error(`vvp-emulator: ${message}`);
  process.exit(2);
}

/** A non-negative integer flag value (at least `min`), or exit 2 naming the flag. */
function integer(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    fail(`--${flag} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

/** The profile, unknown-field, default-target and global-defaults flags, or exit 2 naming the flag. */
function platformFlags(values: Record<string, string | boolean | undefined>): PlatformOptions {
  const flag = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  try {
    return checkPlatform(
      {
        ...(flag('profile') !== undefined ? { profile: flag('profile') } : {}),
        ...(flag('unknown-fields') !== undefined ? { unknownFields: flag('unknown-fields') } : {}),
        ...(flag('default-target') !== undefined ? { defaultTarget: flag('default-target') } : {}),
        ...(flag('global-defaults') !== undefined ? { globalDefaultsFile: flag('global-defaults') } : {}),
      },
      FLAG_NAMES,
    );
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

/** Parses the command line and runs the emulator. */
export async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        token: { type: 'string' },
        'admin-token': { type: 'string' },
        'transition-delay-ms': { type: 'string', default: '1000' },
        'data-dir': { type: 'string' },
        'max-body-bytes': { type: 'string', default: String(DEFAULT_BODY_LIMITS.maxBodyBytes) },
        'max-body-depth': { type: 'string', default: String(DEFAULT_BODY_LIMITS.maxDepth) },
        'max-request-log': { type: 'string', default: String(DEFAULT_MAX_REQUEST_LOG) },
        'max-events': { type: 'string', default: String(DEFAULT_MAX_EVENTS) },
        profile: { type: 'string', default: DEFAULT_PROFILE },
        'unknown-fields': { type: 'string' },
        'default-target': { type: 'string' },
        'global-defaults': { type: 'string' },
        'autopilot-interval-ms': { type: 'string', default: String(DEFAULT_AUTOPILOT_INTERVAL_MS) },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`vvp-emulator: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port);
  const delay = Number(values['transition-delay-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be an integer from 0 to 65535 (got "${values.port}")`);
  if (!Number.isFinite(delay) || delay < 0 || delay > MAX_TIMER_MS)
    fail(`--transition-delay-ms must be a number from 0 to ${MAX_TIMER_MS} (got "${values['transition-delay-ms']}")`);
  const platform = platformFlags(values);
  const token = values.token ?? process.env.VVP_EMULATOR_TOKEN;
  const adminToken = values['admin-token'] ?? process.env.VVP_EMULATOR_ADMIN_TOKEN;
  // the last line of defence: a bug in one request is logged and the server keeps serving
  process.on('uncaughtException', (err) => console.error(`vvp-emulator: unexpected error: ${err.message}`));
  process.on('unhandledRejection', (err) =>
    console.error(`vvp-emulator: unexpected error: ${err instanceof Error ? err.message : String(err)}`),
  );
  const emulator = await startEmulator({
    port,
    host: values.host,
    transitionDelayMs: delay,
    maxBodyBytes: integer('max-body-bytes', values['max-body-bytes'], 1),
    maxBodyDepth: integer('max-body-depth', values['max-body-depth'], 1, 10_000),
    maxRequestLog: integer('max-request-log', values['max-request-log'], 0),
    maxEvents: integer('max-events', values['max-events'], 1),
    autopilotIntervalMs: integer('autopilot-interval-ms', values['autopilot-interval-ms'], 1, MAX_TIMER_MS),
    ...(token ? { token } : {}),
    ...(adminToken ? { adminToken } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...platform,
  }).catch((err: NodeJS.ErrnoException) => {
    // the address flags cannot be served here: one line naming them, exit 2 like any bad flag value
    if (['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'ENOTFOUND', 'EAI_AGAIN'].includes(err.code ?? ''))
      fail(
        `cannot listen on --host ${values.host} --port ${port} (${err.message}): pass a free port (0 picks one) and an address of this machine, e.g. 127.0.0.1`,
      );
    throw err;
  });
  console.log(
    `profile ${platform.profile}${platform.defaultTarget !== undefined ? `, default target ${platform.defaultTarget}` : ', no default target'}`,
  );
  console.log(`listening on ${emulator.url}`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
