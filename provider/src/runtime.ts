/**
 * The provider's runtime inside Pulumi's dynamic-provider process: the real VVP client, pulumi.log, the process
 * environment and the stack config from `configure`. Loaded lazily by the serialized provider (see shell.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { createVvpClient } from '../../vvp-client/src/index';
import type { ConfigSource } from './connection';
import { createHandlers, type Handlers } from './handlers';
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

/** The handlers of this process, created on first use. */
export function runtimeHandlers(): Handlers {
  handlers ??= createHandlers({
    clientFor: (c) => createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}) }),
    log: pulumiLog,
    env: process.env,
    config: () => stackConfig,
  });
  return handlers;
}
