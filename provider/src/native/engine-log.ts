/**
 * Provider messages through the engine's Log RPC, tagged with the resource URN so the CLI shows them under the
 * resource. A native provider's stdout and stderr are hidden by the engine, so this is the only visible channel.
 * Without an engine address (unit tests) messages go to the injected fallback.
 */
import * as grpc from '@grpc/grpc-js';
import { EngineClient } from '@pulumi/pulumi/proto/engine_grpc_pb';
import { LogRequest, LogSeverity } from '@pulumi/pulumi/proto/engine_pb';
import type { ProviderLog } from '../wait';

/** The severities this provider sends. */
export type Severity = 'debug' | 'info' | 'warning' | 'error';

const SEVERITY: Record<Severity, LogSeverity> = {
  debug: LogSeverity.DEBUG,
  info: LogSeverity.INFO,
  warning: LogSeverity.WARNING,
  error: LogSeverity.ERROR,
};

/** Sends messages to the engine; `flush()` waits for every message sent so far. */
export interface EngineLog {
  send(severity: Severity, message: string, urn?: string): void;
  /** A handler log bound to one resource. */
  forUrn(urn: string): ProviderLog;
  flush(): Promise<void>;
  close(): void;
}

/** Logs to the engine at `address`, or to `fallback` when there is none. */
export function createEngineLog(
  address: string | undefined,
  fallback: (severity: Severity, message: string) => void,
): EngineLog {
  const client = address ? new EngineClient(address, grpc.credentials.createInsecure()) : undefined;
  const pending = new Set<Promise<void>>();
  const send = (severity: Severity, message: string, urn?: string): void => {
    if (!client) {
      fallback(severity, message);
      return;
    }
    const req = new LogRequest();
    req.setSeverity(SEVERITY[severity]);
    req.setMessage(message);
    if (urn) req.setUrn(urn);
    const p = new Promise<void>((resolve) => {
      client.log(req, (err) => {
        // the engine went away: the message cannot be shown anywhere else
        if (err) fallback(severity, message);
        resolve();
      });
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
  };
  return {
    send,
    forUrn: (urn) => ({
      info: (message) => send('info', message, urn),
      warn: (message) => send('warning', message, urn),
    }),
    flush: async () => {
      await Promise.all([...pending]);
    },
    close: () => client?.close(),
  };
}
