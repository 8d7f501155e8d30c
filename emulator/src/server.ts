/** The emulator's HTTP surface: VVP routes, Bearer auth with roles, fault injection, a request log and admin routes. */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { Faults, type BehaviourFaults, type RouteFault } from './faults';
import { HttpError, Store, type Role } from './store';

/** Options of an emulator instance. */
export interface EmulatorOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default 127.0.0.1 */
  host?: string;
  /** When set, requests need `Authorization: Bearer <token>` (owner of every namespace) or a token made through /apitokens/v1. */
  token?: string;
  /** Delay of each state-machine phase in ms. @default 1000 */
  transitionDelayMs?: number;
  /** Directory where the state is kept across restarts. */
  dataDir?: string;
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
  /** Every VVP request handled (admin routes excluded). */
  readonly requests: RequestRecord[];
  /** Requests that changed something (POST, PUT, PATCH, DELETE), optionally of paths matching a pattern. */
  writes(pattern?: RegExp): RequestRecord[];
  /** Creates an API token in a namespace and returns its secret. */
  createToken(namespace: string, role: Role, name?: string): string;
  /** Stops the server and every timer. */
  stop(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ADMIN_PREFIX = '/__emulator';

type Json = Record<string, unknown>;

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const faults = new Faults();
  const stateFile = options.dataDir ? path.join(options.dataDir, 'vvp-emulator-state.json') : undefined;
  let dirty = false;
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    flushTimer = undefined;
    if (!stateFile || !dirty) return;
    dirty = false;
    const tmp = `${stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(store.snapshot()));
    renameSync(tmp, stateFile);
  };
  const store: Store = new Store({
    faults,
    ...(options.transitionDelayMs !== undefined ? { transitionDelayMs: options.transitionDelayMs } : {}),
    onChange: () => {
      if (!stateFile) return;
      dirty = true;
      flushTimer ??= setTimeout(flush, 20);
      flushTimer.unref();
    },
  });
  if (stateFile) {
    mkdirSync(options.dataDir!, { recursive: true });
    if (existsSync(stateFile)) store.restore(JSON.parse(readFileSync(stateFile, 'utf8')) as Json);
  }
  const requests: RequestRecord[] = [];
  let stopped = false;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) =>
      send(res, 500, { message: `emulator error: ${err instanceof Error ? err.message : String(err)}` }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (url.pathname.startsWith(ADMIN_PREFIX)) return admin(method, url, body, res);

    const record = (status: number) =>
      requests.push({ method, path: url.pathname + url.search, status, at: Date.now() });
    const fault = faults.match(method, url.pathname);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.drop) {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      record(fault.status);
      return send(res, fault.status, { message: fault.message ?? 'injected fault' });
    }
    try {
      const parsed = parseBody(req, body);
      authorize(req, url.pathname, method);
      const [status, payload] = route(method, url, parsed);
      record(status);
      send(res, status, payload);
    } catch (err) {
      if (err instanceof HttpError) {
        record(err.status);
        return send(res, err.status, { message: err.message });
      }
      throw err;
    }
  }

  function authorize(req: IncomingMessage, pathname: string, method: string): void {
    if (options.token === undefined) return;
    if (pathname === '/api/v1/status') return;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) throw new HttpError(401, 'Authentication required: send Authorization: Bearer <api token>');
    const secret = match[1]!;
    if (secret === options.token) return;
    if (!store.isToken(secret)) throw new HttpError(401, 'Invalid API token');
    const ns = /^\/(?:api\/v1|apitokens\/v1|namespaces\/v1)\/namespaces\/([^/]+)/.exec(pathname)?.[1];
    const role = store.roleOf(secret, ns);
    if (!role) throw new HttpError(403, `The API token has no access to namespace '${ns ?? '(none)'}'`);
    const needed: Role =
      pathname.startsWith('/apitokens/') || pathname.startsWith('/namespaces/')
        ? 'owner'
        : method === 'GET'
          ? 'viewer'
          : 'editor';
    const rank: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };
    if (rank[role] < rank[needed])
      throw new HttpError(403, `Role '${role}' may not ${method} ${pathname}; it needs '${needed}'`);
  }

  function route(method: string, url: URL, body: Json): [number, unknown] {
    const p = url.pathname.replace(/\/+$/, '');
    const q = (k: string) => url.searchParams.get(k) ?? undefined;
    const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'v1', metadata: {}, items });
    let m: RegExpExecArray | null;

    if (p === '/api/v1/status' && method === 'GET') return [200, { status: 'OK' }];
    if (p === '/api/v1/status/system-info' && method === 'GET') {
      return [
        200,
        {
          status: {
            jvmVersion: process.version,
            revisionInformation: { buildVersion: 'vvp-emulator', commitShaShort: 'emulator' },
          },
        },
      ];
    }
    if (p === '/api/v1/global-deployment-defaults' && method === 'GET') return [200, store.globalDefaults()];

    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/deployments$/.exec(p))) {
      const ns = m[1]!;
      if (method === 'GET') return [200, list('DeploymentList', store.listDeployments(ns, q('labelSelector')))];
      if (method === 'POST') return [201, store.createDeployment(ns, body)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(p))) {
      const [ns, name] = [m[1]!, decodeURIComponent(m[2]!)];
      if (method === 'GET') return [200, store.getDeployment(ns, name)];
      if (method === 'PATCH') return [200, store.patchDeployment(ns, name, body)];
      if (method === 'PUT') {
        const r = store.putDeployment(ns, name, body);
        return [r.created ? 201 : 200, r.deployment];
      }
      if (method === 'DELETE') return [200, store.deleteDeployment(ns, name)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/deployment-defaults$/.exec(p))) {
      if (method === 'GET') return [200, store.getDefaults(m[1]!)];
      if (method === 'PATCH') return [200, store.patchDefaults(m[1]!, body)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/deployment-targets$/.exec(p))) {
      if (method === 'GET') return [200, list('DeploymentTargetList', store.listTargets(m[1]!))];
      if (method === 'POST') return [201, store.createTarget(m[1]!, body)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/deployment-targets\/([^/]+)$/.exec(p))) {
      const [ns, name] = [m[1]!, decodeURIComponent(m[2]!)];
      if (method === 'GET') return [200, store.getTarget(ns, name)];
      if (method === 'PUT') {
        const r = store.putTarget(ns, name, body);
        return [r.created ? 201 : 200, r.body];
      }
      if (method === 'DELETE') return [200, store.deleteTarget(ns, name)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/savepoints$/.exec(p))) {
      const filter = {
        ...(q('deploymentId') ? { deploymentId: q('deploymentId') } : {}),
        ...(q('jobId') ? { jobId: q('jobId') } : {}),
      };
      if (method === 'GET') return [200, list('SavepointList', store.listSavepoints(m[1]!, filter))];
      if (method === 'POST') return [201, store.postSavepoint(m[1]!, body)];
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/savepoints\/([^/]+)$/.exec(p)) && method === 'GET')
      return [200, store.getSavepoint(m[1]!, m[2]!)];
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/jobs$/.exec(p)) && method === 'GET')
      return [200, list('JobList', store.listJobs(m[1]!, q('deploymentId')))];
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(p)) && method === 'GET')
      return [200, store.getJob(m[1]!, m[2]!)];
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(p))) {
      const filter = {
        ...(q('deploymentId') ? { deploymentId: q('deploymentId') } : {}),
        ...(q('jobId') ? { jobId: q('jobId') } : {}),
      };
      if (method === 'GET') return [200, list('EventList', store.listEvents(m[1]!, filter))];
      if (method === 'POST') return [201, store.postEvent(m[1]!, body)];
    }

    if (p === '/namespaces/v1/namespaces') {
      if (method === 'GET') return [200, { namespaces: store.listNamespaces() }];
      if (method === 'POST') {
        const name = String(body.name ?? '').replace(/^namespaces\//, '');
        return [200, { namespace: store.createNamespace(name) }];
      }
    }
    if ((m = /^\/namespaces\/v1\/namespaces\/([^/]+)$/.exec(p))) {
      if (method === 'GET') return [200, { namespace: store.getNamespace(m[1]!) }];
      if (method === 'DELETE') return [200, { namespace: store.deleteNamespace(m[1]!) }];
    }
    if ((m = /^\/apitokens\/v1\/namespaces\/([^/]+)\/apitokens$/.exec(p))) {
      if (method === 'GET') return [200, store.listTokens(m[1]!)];
      if (method === 'POST') return [200, store.createToken(m[1]!, body)];
    }
    if ((m = /^\/apitokens\/v1\/namespaces\/([^/]+)\/apitokens\/([^/]+)$/.exec(p))) {
      if (method === 'GET') return [200, store.getToken(m[1]!, m[2]!)];
      if (method === 'DELETE') return [200, store.deleteToken(m[1]!, m[2]!)];
    }
    if (/^\/api\/v1\/namespaces\/[^/]+\//.test(p)) {
      const ns = p.split('/')[4]!;
      if (!store.hasNamespace(ns)) throw new HttpError(404, `Namespace '${ns}' does not exist`);
    }
    throw new HttpError(404, `No route for ${method} ${p}`);
  }

  /** Admin routes: GET/DELETE /__emulator/requests, POST/DELETE /__emulator/faults. */
  function admin(method: string, url: URL, raw: string, res: ServerResponse): void {
    const body = raw ? (JSON.parse(raw) as Json) : {};
    if (url.pathname === `${ADMIN_PREFIX}/requests`) {
      if (method === 'GET') return send(res, 200, { requests });
      if (method === 'DELETE') {
        requests.length = 0;
        return send(res, 200, { requests });
      }
    }
    if (url.pathname === `${ADMIN_PREFIX}/faults`) {
      if (method === 'POST') {
        for (const f of (body.routes as RouteFault[] | undefined) ?? []) faults.addRoute(f);
        if (body.behaviour) faults.setBehaviour(body.behaviour as BehaviourFaults);
        return send(res, 200, { ok: true });
      }
      if (method === 'DELETE') {
        faults.clear();
        return send(res, 200, { ok: true });
      }
    }
    send(res, 404, { message: `No admin route ${method} ${url.pathname}` });
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
    requests,
    writes: (pattern) => requests.filter((r) => WRITE_METHODS.has(r.method) && (!pattern || pattern.test(r.path))),
    createToken(namespace, role, name) {
      const tokenName = name ?? `token-${Math.random().toString(36).slice(2, 10)}`;
      const r = store.createToken(namespace, { name: `namespaces/${namespace}/apitokens/${tokenName}`, role });
      return (r.apiToken as Json).secret as string;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      store.stop();
      if (flushTimer) clearTimeout(flushTimer);
      flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, raw: string): Json {
  if (!raw.trim()) return {};
  const type = req.headers['content-type'] ?? 'application/json';
  try {
    const value: unknown = /yaml/i.test(type) ? YAML.parse(raw) : JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('the body must be an object');
    return value as Json;
  } catch (err) {
    throw new HttpError(400, `Malformed request body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
