/**
 * The emulator's HTTP surface. Each request goes: request target → admin or VVP route → injected fault →
 * authentication and role → bounded body → handler → durable save (with --data-dir) → answer. Nothing a client
 * sends can end the process: bad input is a 4xx naming the field or limit, a bug is a 500 for that request only.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admin, ADMIN_PREFIX } from './admin';
import { authorize, authorizeAdmin, callerOf } from './auth';
import { forceStep } from './autopilot';
import { DEFAULT_BODY_LIMITS, discardRest, parseBody, readBody, type BodyLimits } from './body';
import { HttpError } from './errors';
import { Faults } from './faults';
import type { Json } from './json';
import type { UnknownFields } from './model';
import { Durable, loadState, makeDataDir, saveError } from './persistence';
import { checkPlatform } from './platform';
import type { ProfileName } from './profiles';
import { BoundedList } from './ring';
import { matchRoute, splitPath } from './routes';
import { realScheduler, type Scheduler } from './scheduler';
import type { Role } from './state';
import { Store } from './store';

/** Options of an emulator instance. */
export interface EmulatorOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default 127.0.0.1 */
  host?: string;
  /** When set, requests need `Authorization: Bearer <token>` (owner of every namespace) or a token made through /apitokens/v1. */
  token?: string;
  /** Secret of the admin routes (/__emulator/*). @default the `token` */
  adminToken?: string;
  /** Delay of each state-machine phase in ms. @default 1000 */
  transitionDelayMs?: number;
  /** Directory where the state is kept across restarts. */
  dataDir?: string;
  /** Largest request body in bytes (413 beyond). @default 1048576 */
  maxBodyBytes?: number;
  /** Deepest nesting of a request body (400 beyond). @default 64 */
  maxBodyDepth?: number;
  /** Most entries of the request log (oldest dropped). @default 100000 */
  maxRequestLog?: number;
  /** Most events kept per namespace (oldest dropped). @default 10000 */
  maxEvents?: number;
  /** When phases run and what time it is; a ManualScheduler lets tests step time. @default timers */
  scheduler?: Scheduler;
  /** The emulated platform (ADR 0009): 'vvp-2.4', 'vvp-3' or 'lenient'. @default 'vvp-3' */
  profile?: ProfileName;
  /** Fields outside the profile's model: 'drop', 'reject' (400 naming the field) or 'keep'. @default drop (lenient: keep) */
  unknownFields?: UnknownFields;
  /** Name of a deployment target every namespace gets. @default none: a namespace has no target, as on a fresh VVP */
  defaultTarget?: string;
  /** The spec of the global deployment defaults (bare or `{spec}`), replacing the built-in ones. @default GLOBAL_DEFAULTS */
  globalDefaults?: Json;
  /** How often an ACTIVE Autopilot policy scales a RUNNING deployment, in ms (ADR 0010). @default 10000 */
  autopilotIntervalMs?: number;
}

/** One request as the emulator saw it. */
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
}

/** A running emulator. */
export interface EmulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly port: number;
  /** The platform state (for assertions). */
  readonly store: Store;
  /** Fault injection. */
  readonly faults: Faults;
  /** The latest VVP requests handled (admin routes excluded), at most `maxRequestLog`. */
  readonly requests: RequestRecord[];
  /** Requests that changed something (POST, PUT, PATCH, DELETE), optionally of paths matching a pattern. */
  writes(pattern?: RegExp): RequestRecord[];
  /** Creates an API token in a namespace and returns its secret. */
  createToken(namespace: string, role: Role, name?: string): string;
  /** Stops the server and every timer (and saves the state with --data-dir). */
  stop(): Promise<void>;
}

/** Default bound of the request log. */
export const DEFAULT_MAX_REQUEST_LOG = 100_000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The path and query of a request target; 400 for a target that is not a path or an absolute URL. */
function target(raw: string): { pathname: string; search: string; query: URLSearchParams } {
  if (raw.startsWith('/')) {
    const q = raw.indexOf('?');
    return q < 0
      ? { pathname: raw, search: '', query: new URLSearchParams() }
      : { pathname: raw.slice(0, q), search: raw.slice(q), query: new URLSearchParams(raw.slice(q + 1)) };
  }
  try {
    const url = new URL(raw);
    return { pathname: url.pathname, search: url.search, query: url.searchParams };
  } catch {
    throw new HttpError(400, `Invalid request target '${raw.slice(0, 100)}': send a path such as /api/v1/status`);
  }
}

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const platform = checkPlatform(options);
  const faults = new Faults();
  const scheduler = options.scheduler ?? realScheduler;
  const limits: BodyLimits = {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_BODY_LIMITS.maxBodyBytes,
    maxDepth: options.maxBodyDepth ?? DEFAULT_BODY_LIMITS.maxDepth,
  };
  let durable: Durable | undefined;
  const store: Store = new Store({
    ...platform,
    faults,
    scheduler,
    ...(options.transitionDelayMs !== undefined ? { transitionDelayMs: options.transitionDelayMs } : {}),
    ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
    ...(options.autopilotIntervalMs !== undefined ? { autopilotIntervalMs: options.autopilotIntervalMs } : {}),
    onChange: () => durable?.soon(),
  });
  if (options.dataDir) {
    makeDataDir(options.dataDir);
    const saved = loadState(options.dataDir);
    if (saved) store.restore(saved);
    durable = new Durable(options.dataDir, () => store.snapshot());
  }
  const requests = new BoundedList<RequestRecord>([], options.maxRequestLog ?? DEFAULT_MAX_REQUEST_LOG);
  const auth = {
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
  };
  let stopped = false;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(req, res, err.status, { message: err.message });
      send(req, res, 500, { message: `emulator error: ${err instanceof Error ? err.message : String(err)}` });
    });
  });
  // malformed HTTP (bad request line, oversized headers): a JSON 400/431 instead of a bare reset
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const text = JSON.stringify({ message: `Malformed HTTP request (${err.code ?? 'parse error'})` });
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });

  async function body(req: IncomingMessage): Promise<Json> {
    return parseBody(await readBody(req, limits.maxBodyBytes), req.headers['content-type'], limits);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const { pathname, search, query } = target(req.url ?? '/');
    if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      authorizeAdmin(auth, store, req);
      const parsed = method === 'POST' ? await body(req) : {};
      const [status, payload] = admin(
        {
          faults,
          requests: requests.items,
          dropped: () => requests.dropped,
          autopilotStep: (b) => forceStep(store.state, b),
        },
        method,
        pathname,
        parsed,
      );
      return send(req, res, status, payload);
    }

    const shown = pathname.length > 2000 ? `${pathname.slice(0, 2000)}…` : pathname;
    const logged = shown + search.slice(0, 2000);
    const record = (status: number) => requests.push({ method, path: logged, status, at: scheduler.now().getTime() });
    const fault = faults.match(method, pathname);
    if (fault?.latencyMs) await new Promise<void>((r) => scheduler.after(fault.latencyMs!, r));
    if (fault?.drop) {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      record(fault.status);
      return send(req, res, fault.status, { message: fault.message ?? 'injected fault' });
    }
    try {
      let match;
      let routeError: unknown;
      try {
        match = matchRoute(store, method, splitPath(pathname));
      } catch (err) {
        routeError = err;
      }
      // authentication comes first: an anonymous caller learns nothing about routes or namespaces
      // (no route: any valid token then learns it is a 404)
      authorize(auth, store, req, match?.handler.access ?? 'authenticated', match?.params.ns, `${method} ${shown}`);
      if (!match) throw routeError;
      const write = WRITE_METHODS.has(method);
      if (write && durable?.failure !== undefined)
        await durable.commit().catch((err: unknown) => {
          throw saveError(options.dataDir!, err);
        });
      const parsed = match.handler.body ? await body(req) : {};
      const caller = callerOf(auth, store, req);
      const [status, payload] = match.handler.run({ store, params: match.params, query, body: parsed, caller });
      if (write && durable)
        await durable.commit().catch((err: unknown) => {
          throw saveError(options.dataDir!, err);
        });
      record(status);
      send(req, res, status, payload);
    } catch (err) {
      record(err instanceof HttpError ? err.status : 500);
      throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    port: address.port,
    store,
    faults,
    requests: requests.items,
    writes: (pattern) =>
      requests.items.filter((r) => WRITE_METHODS.has(r.method) && (!pattern || pattern.test(r.path))),
    createToken(namespace, role, name) {
      const tokenName = name ?? `token-${Math.random().toString(36).slice(2, 10)}`;
      const r = store.createToken(namespace, { name: `namespaces/${namespace}/apitokens/${tokenName}`, role });
      return (r.apiToken as Json).secret as string;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      store.stop();
      await durable?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Answers with JSON. When the request body was not read (an early 401, 404 or 413), the rest of it is discarded
 * unparsed and bounded (discardRest), so the client reads the answer rather than a connection reset.
 */
function send(req: IncomingMessage, res: ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  discardRest(req);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
