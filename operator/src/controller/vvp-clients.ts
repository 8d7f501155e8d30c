/** VVP clients per API token, all behind the one global rate limit, reporting every request for metrics. */
import { createHash } from 'node:crypto';
import { createVvpClient, type RequestReport, type VvpClient } from '../../../vvp-client/src/index';
import type { TokenBucket } from './rate-limit';

/** Returns the VVP client to use with a token (undefined: anonymous). */
export type VvpClientFactory = (token: string | undefined) => VvpClient;

/** Options of the client factory. */
export interface VvpClientFactoryOptions {
  baseUrl: string;
  /** Global rate limit towards VVP. */
  limiter?: TokenBucket;
  /** Per-request timeout in ms. @default 15000 */
  timeoutMs?: number;
  /** Retries of idempotent calls inside one reconcile (the queue retries further). @default 2 */
  retries?: number;
  /** Called after every exchange. */
  onRequest?: (report: RequestReport) => void;
}

/** Wraps every method of a client so that it waits for the rate limiter first. */
export function rateLimited(client: VvpClient, limiter: TokenBucket): VvpClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await limiter.acquire();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Creates a factory that caches one client per token (keyed by a hash, the token itself is not kept as a key). */
export function createVvpClientFactory(options: VvpClientFactoryOptions): VvpClientFactory {
  const cache = new Map<string, VvpClient>();
  return (token) => {
    const key = token ? createHash('sha256').update(token).digest('hex') : '-';
    let client = cache.get(key);
    if (!client) {
      const raw = createVvpClient({
        baseUrl: options.baseUrl,
        ...(token ? { token } : {}),
        timeoutMs: options.timeoutMs ?? 15000,
        retries: options.retries ?? 2,
        ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      });
      client = options.limiter ? rateLimited(raw, options.limiter) : raw;
      cache.set(key, client);
    }
    return client;
  };
}
