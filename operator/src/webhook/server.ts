/** The HTTPS endpoint of the validating admission webhook; nothing but transport lives here. */
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { messageOf } from '../../../core/src/errors';
import { WEBHOOK_PATH } from '../../../core/src/model/deployment';
import type { Logger } from '../runtime/logger';
import type { ServingPair } from './certs';
import { reviewAdmission, type AdmissionReview, type ReviewOptions } from './review';

/** Path of the validating webhook. */
export const VALIDATE_PATH = WEBHOOK_PATH;
/** Paths that serve the same review: the documented one and the short `/validate` a hand-written configuration may use. */
const REVIEW_PATHS = new Set([VALIDATE_PATH, '/validate']);
const MAX_BODY = 3 * 1024 * 1024;

/** Options of the webhook server. */
export interface WebhookServerOptions extends ReviewOptions {
  port: number;
  /** @default 0.0.0.0 */
  host?: string;
  pair: ServingPair;
  /** Files to watch; the pair is reloaded when they change (cert-manager rotation). */
  reload?: { certFile: string; keyFile: string; intervalMs?: number };
  log: Logger;
  /** Called after each review (metrics). */
  onReview?(operation: string, allowed: boolean): void;
}

/** A running webhook server. */
export interface WebhookServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the webhook server. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { log } = options;
  const server = https.createServer(
    { cert: options.pair.cert, key: options.pair.key, minVersion: 'TLSv1.2' },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://webhook');
      if (req.method === 'GET' && url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (req.method !== 'POST' || !REVIEW_PATHS.has(url.pathname)) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `no route ${req.method} ${url.pathname}; POST ${VALIDATE_PATH}` }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => {
        let review: AdmissionReview;
        try {
          review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
        } catch (err) {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: `malformed AdmissionReview: ${messageOf(err)}` }));
          return;
        }
        reviewAdmission(review, options).then(
          (answer) => {
            const r = answer.response!;
            const rq = review.request!;
            options.onReview?.(rq.operation, r.allowed);
            log.info(
              {
                op: rq.operation,
                key: `${rq.namespace}/${rq.name}`,
                allowed: r.allowed,
                ...(r.status ? { reason: r.status.message } : {}),
                warnings: r.warnings?.length ?? 0,
              },
              'admission review',
            );
            const text = JSON.stringify(answer);
            res
              .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
              .end(text);
          },
          (err: unknown) => {
            log.error({ err: messageOf(err) }, 'admission review failed');
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: messageOf(err) }));
          },
        );
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  let watcher: (() => void) | undefined;
  if (options.reload) {
    const { certFile, keyFile } = options.reload;
    const onChange = () => {
      try {
        server.setSecureContext({ cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') });
        log.info({ certFile }, 'webhook certificate reloaded');
      } catch (err) {
        log.warn({ certFile, err: messageOf(err) }, 'webhook certificate reload failed; keeping the previous one');
      }
    };
    const interval = options.reload.intervalMs ?? 10_000;
    fs.watchFile(certFile, { interval }, onChange);
    watcher = () => fs.unwatchFile(certFile, onChange);
  }
  const port = (server.address() as AddressInfo).port;
  log.info({ port, path: VALIDATE_PATH }, 'webhook listening');
  return {
    port,
    async stop() {
      watcher?.();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
