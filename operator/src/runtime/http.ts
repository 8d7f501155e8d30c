/** The plain HTTP endpoint for probes and metrics: /healthz, /readyz, /metrics. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of the probe/metrics server. */
export interface ProbeServerOptions {
  port: number;
  /** @default 0.0.0.0 */
  host?: string;
  registry: Registry;
  /** Liveness: the process is working. */
  healthy(): boolean;
  /** Readiness: the webhook serves and, on the leader, the caches are synced. */
  ready(): boolean;
}

/** Starts the probe/metrics server. */
export async function startProbeServer(options: ProbeServerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/healthz' || path === '/livez') {
      const ok = options.healthy();
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'unhealthy');
      return;
    }
    if (path === '/readyz') {
      const ok = options.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; try /healthz, /readyz, /metrics');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
