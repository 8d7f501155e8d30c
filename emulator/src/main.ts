/** `vvp-emulator`: runs the emulator from the command line until SIGINT or SIGTERM. */
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

const HELP = `vvp-emulator: a local Ververica Platform REST API (deployments, jobs, savepoints, events,
deployment targets and defaults, API tokens, namespaces) with a state machine and fault injection.

Usage: vvp-emulator [--port P] [--host H] [--token T] [--transition-delay-ms N] [--data-dir D]

  --port P                 port to listen on (0 picks a free one)                  default 8080
  --host H                 interface to listen on                                   default 127.0.0.1
  --token T                require "Authorization: Bearer T" (owner of every namespace) or a token
                           created through /apitokens/v1; without it anonymous access is allowed
  --transition-delay-ms N  delay of each state-machine phase (TRANSITIONING steps)  default 1000
  --data-dir D             keep the state in D across restarts                      default: memory only
  -h, --help               show this help

Admin routes (not part of VVP): GET|DELETE /__emulator/requests (request log),
POST /__emulator/faults {"routes":[{"method","path","status","latencyMs","drop","times"}],
"behaviour":{"failJobs","failSavepoints","finishJobs"}}, DELETE /__emulator/faults.

Environment: VVP_EMULATOR_TOKEN is used when --token is not given.
Prints "listening on http://HOST:PORT" once ready.`;

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
        'transition-delay-ms': { type: 'string', default: '1000' },
        'data-dir': { type: 'string' },
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`vvp-emulator: --port must be an integer from 0 to 65535 (got "${values.port}")`);
    process.exit(2);
  }
  if (!Number.isFinite(delay) || delay < 0) {
    console.error(
      `vvp-emulator: --transition-delay-ms must be a number of at least 0 (got "${values['transition-delay-ms']}")`,
    );
    process.exit(2);
  }
  const token = values.token ?? process.env.VVP_EMULATOR_TOKEN;
  const emulator = await startEmulator({
    port,
    host: values.host,
    transitionDelayMs: delay,
    ...(token ? { token } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  console.log(`listening on ${emulator.url}`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
