/**
 * The provider's runtime inside Pulumi's dynamic-provider process: the real VVP client, pulumi.log, the process
 * environment and the stack config from `configure`. Loaded lazily by the serialized provider (see shell.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { errorFacts } from '../../core/src/index';
import { createVvpClient } from '../../vvp-client/src/index';
import type { ConfigSource } from './connection';
import { createHandlers, type Handlers } from './handlers';
import { platformHandlersFor } from './platform/index';
import type { ProviderLog } from './wait';

let stackConfig: ConfigSource | undefined;
let handlers: Handlers | undefined;

/** Log through the Pulumi engine (shown in the CLI output; falls back to stderr when no engine is attached). */
export const pulumiLog: ProviderLog = {
  info: (message) => void pulumi.log.info(message),
  warn: (message) => void pulumi.log.warn(message),
};

/** Keeps the stack config handed to the dynamic provider's `configure` (vvp:baseUrl, vvp:apiToken). */
export function configureRuntime(config: ConfigSource): void {
  stackConfig = config;
}

/**
 * Expected failures are reported once. Pulumi's dynamic-provider host prints every error thrown by check, diff, read
 * and delete to stderr as `${e}: ${e.stack}` before handing its message to the engine, which shows it again; for a
 * failure this project throws on purpose (a VvpError: a refused deletion, a NameConflict, a VVP 4xx, a failed
 * wait) that line is dropped, so the engine's message is the one report. Anything else keeps its stack.
 */
const quiet = new Set<string>();
let filterInstalled = false;

function reportOnce(err: unknown): void {
  if (!errorFacts(err)) return;
  const e = err as Error;
  quiet.add(`${String(e)}: ${e.stack}`);
  if (filterInstalled) return;
  filterInstalled = true;
  // eslint-disable-next-line no-console -- wraps the host's stderr line; this module logs nothing itself
  const original = console.error.bind(console);
  // eslint-disable-next-line no-console -- see above
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && quiet.delete(args[0])) return;
    original(...args);
  };
}

/** Each handler with expected failures reported once (see `reportOnce`). */
function withQuietExpectedFailures(h: Handlers): Handlers {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        reportOnce(err);
        throw err;
      }
    };
  return {
    check: guard(h.check),
    diff: guard(h.diff),
    create: guard(h.create),
    read: guard(h.read),
    update: guard(h.update),
    delete: guard(h.delete),
  };
}

const runtimeDeps = () => ({
  clientFor: (c: { baseUrl: string; token?: string }) =>
    createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}) }),
  log: pulumiLog,
  env: process.env,
  config: () => stackConfig,
});

/** The handlers of this process, created on first use. */
export function runtimeHandlers(): Handlers {
  handlers ??= withQuietExpectedFailures(createHandlers(runtimeDeps()));
  return handlers;
}

const platformHandlers = new Map<string, Handlers>();

/** The handlers of a platform resource type (`vvp:index:SessionCluster`) in this process, created on first use. */
export function runtimePlatformHandlers(type: string): Handlers {
  let h = platformHandlers.get(type);
  if (!h) {
    const made = platformHandlersFor(type, runtimeDeps());
    if (!made) throw new Error(`vvp provider: unknown platform resource type ${type}`);
    h = withQuietExpectedFailures(made);
    platformHandlers.set(type, h);
  }
  return h;
}
