/** The HTTPS endpoint of the validating admission webhook; nothing but transport lives here. */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { messageOf } from '../../../core/src/errors';
import { WEBHOOK_PATH } from '../../../core/src/model/deployment';
import type { Logger } from '../runtime/logger';
import { loadServingPair, type ServingPair } from './certs';
import type { OperationLabel } from './parse';
import { answerReview, type ReviewOptions } from './review';

/** Path of the validating webhook. */
export const VALIDATE_PATH = WEBHOOK_PATH;
/** Paths that serve the same review: the documented one and the short `/validate` a hand-written configuration may use. */
const REVIEW_PATHS = new Set([VALIDATE_PATH, '/validate']);
/**
 * Largest AdmissionReview body: an UPDATE carries the object and the old object, each at most the apiserver's
 * 3 MiB request limit (etcd stores at most 1.5 MiB), plus the envelope.
 */
export const MAX_BODY_BYTES = 7 * 1024 * 1024;

/** Options of the webhook server. */
export interface WebhookServerOptions extends ReviewOptions {
  port: number;
  /** @default 0.0.0.0 */
  host?: string;
  pair: ServingPair;
  /** PEM CA bundle: when set, clients must present a certificate it signed (the apiserver's admission client cert). */
  clientCaPem?: string;
  /** Files to watch; the pair is reloaded when they change (cert-manager rotation). */
  reload?: { certFile: string; keyFile: string; intervalMs?: number };
  log: Logger;
  /** Called after each review (metrics); `operation` is from a closed set (unknown values are "other"). */
  onReview?(operation: OperationLabel, allowed: boolean): void;
  /** Largest body accepted. @default MAX_BODY_BYTES */
  maxBodyBytes?: number;
}

/** A running webhook server. */
export interface WebhookServer {
  readonly port: number;
  stop(): Promise<void>;
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
    .end(text);
};

/** Starts the webhook server. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { log } = options;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const clientAuth = options.clientCaPem
    ? { ca: options.clientCaPem, requestCert: true, rejectUnauthorized: true }
    : {};
  const tooLarge = (res: http.ServerResponse) =>
    sendJson(res, 413, {
      message: `the AdmissionReview body is larger than ${maxBody} bytes; no VvpDeployment needs that much`,
    });
  // the rest of an oversized body is read and dropped (so the client gets to read the 413) up to this size
  const drainLimit = maxBody * 4;

  const review = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    // an oversized body is read and dropped, and the 413 sent once it ended: answering while the client still
    // writes would reset the connection under it (EPIPE) and it would never read the answer
    let over = Number.isFinite(declared) && declared > maxBody;
    await new Promise<void>((resolve, reject) => {
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (over) {
          if (size > drainLimit) {
            // past the drain limit: answer now and close; no well-behaved client sends this much
            res.setHeader('connection', 'close');
            tooLarge(res);
            res.on('finish', () => req.socket.destroy());
            req.pause();
            resolve();
          }
          return;
        }
        if (size > maxBody) {
          over = true;
          chunks.length = 0;
        } else chunks.push(c);
      });
      req.on('close', resolve);
      req.on('end', resolve);
      req.on('error', reject);
    });
    if (over) {
      if (!res.headersSent) tooLarge(res);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch (err) {
      options.onReview?.('other', false);
      sendJson(res, 400, { message: `malformed AdmissionReview: body: not JSON (${messageOf(err).slice(0, 200)})` });
      return;
    }
    const answer = await answerReview(body, options);
    options.onReview?.(answer.operation, answer.allowed);
    log.info(
      {
        op: answer.operation,
        key: answer.key,
        allowed: answer.allowed,
        ...(answer.message !== undefined ? { reason: answer.message } : {}),
        warnings: answer.warnings,
      },
      'admission review',
    );
    sendJson(res, answer.status, answer.body);
  };

  const server = https.createServer(
    { cert: options.pair.cert, key: options.pair.key, minVersion: 'TLSv1.2', ...clientAuth },
    (req, res) => {
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      // no request can end the process: whatever a handler throws is answered (and logged), never rethrown
      const fail = (err: unknown) => {
        log.error({ err: messageOf(err).slice(0, 1000) }, 'admission request failed');
        sendJson(res, 500, { message: 'internal error of the webhook; see the operator log' });
      };
      try {
        const url = new URL(req.url ?? '/', 'https://webhook');
        if (req.method === 'GET' && url.pathname === '/healthz') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        }
        if (req.method !== 'POST' || !REVIEW_PATHS.has(url.pathname)) {
          req.resume();
          sendJson(res, 404, {
            message: `no route ${String(req.method).slice(0, 16)} ${url.pathname.slice(0, 100)}; POST ${VALIDATE_PATH}`,
          });
          return;
        }
        review(req, res).catch(fail);
      } catch (err) {
        fail(err);
      }
    },
  );
  // a slow client cannot hold a connection open for long (the apiserver gives up after timeoutSeconds anyway)
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  let watcher: (() => void) | undefined;
  if (options.reload) {
    const { certFile, keyFile } = options.reload;
    const onChange = () => {
      try {
        const { cert, key } = loadServingPair(certFile, keyFile);
        server.setSecureContext({
          cert,
          key,
          minVersion: 'TLSv1.2',
          ...(options.clientCaPem ? { ca: options.clientCaPem } : {}),
        });
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
  log.info({ port, path: VALIDATE_PATH, clientCertificates: Boolean(options.clientCaPem) }, 'webhook listening');
  return {
    port,
    async stop() {
      watcher?.();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
