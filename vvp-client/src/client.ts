/** The typed VVP REST client: the only code that speaks HTTP to VVP. */
import axios, { type AxiosInstance, type Method } from 'axios';
import { EXTERNAL_EVENT_NAME } from '../../core/src/events';
import type { AutopilotStatus } from '../../core/src/autopilot';
import type { Deployment } from '../../core/src/model/generated';
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import { VvpError } from '../../core/src/errors';
import { errorForStatus, isNotFound, isTransient, VvpNetworkError, type RequestInfo } from './errors';
import { namespacedPath } from './paths';
import { baseUrlCredentialsProblem, redactText, redactValue, secretForms } from './redact';

/** What the client reports after each HTTP exchange (metrics, request counting). */
export interface RequestReport {
  method: string;
  path: string;
  /** HTTP status, or 0 for a network error. */
  status: number;
  durationMs: number;
}

/** Options of a client. */
export interface VvpClientOptions {
  /** Base URL of VVP, e.g. http://127.0.0.1:8080 (no trailing /api). */
  baseUrl: string;
  /** API token sent as `Authorization: Bearer <token>`; anonymous when absent. */
  token?: string;
  /** Per-request timeout in ms. @default 15000 */
  timeoutMs?: number;
  /** Retries of idempotent calls on 5xx, 429 and network errors. @default 4 */
  retries?: number;
  /** Base delay of the exponential backoff in ms (full jitter). @default 200 */
  retryBaseMs?: number;
  /** Longest backoff delay in ms. @default 5000 */
  retryMaxMs?: number;
  /** Called after every exchange. */
  onRequest?: (report: RequestReport) => void;
  /** Injected sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected randomness in [0, 1). */
  random?: () => number;
}

/** A list filter by labels (`k=v,k2=v2`). */
export interface ListOptions {
  labelSelector?: Record<string, string> | string;
}

/** Typed access to the VVP REST API. */
export interface VvpClient {
  /** The base URL the client talks to. */
  readonly baseUrl: string;
  getDeployment(namespace: string, nameOrId: string): Promise<VvpDeployment>;
  /** The deployment with this name, or undefined on 404. */
  findDeployment(namespace: string, nameOrId: string): Promise<VvpDeployment | undefined>;
  listDeployments(namespace: string, options?: ListOptions): Promise<VvpDeployment[]>;
  createDeployment(namespace: string, body: Deployment): Promise<VvpDeployment>;
  patchDeployment(namespace: string, name: string, body: Deployment): Promise<VvpDeployment>;
  putDeployment(namespace: string, name: string, body: Deployment): Promise<VvpDeployment>;
  deleteDeployment(namespace: string, name: string): Promise<void>;
  triggerSavepoint(namespace: string, deploymentId: string): Promise<VvpSavepoint>;
  registerSavepoint(namespace: string, deploymentId: string, savepointLocation: string): Promise<VvpSavepoint>;
  getSavepoint(namespace: string, id: string): Promise<VvpSavepoint>;
  listSavepoints(namespace: string, filter?: { deploymentId?: string; jobId?: string }): Promise<VvpSavepoint[]>;
  listJobs(namespace: string, filter?: { deploymentId?: string }): Promise<VvpJob[]>;
  getJob(namespace: string, id: string): Promise<VvpJob>;
  listEvents(namespace: string, filter?: { deploymentId?: string; jobId?: string }): Promise<VvpEvent[]>;
  /** Posts an EXTERNAL event for a deployment. */
  createEvent(namespace: string, event: { deploymentId: string; message: string; name?: string }): Promise<VvpEvent>;
  listDeploymentTargets(namespace: string): Promise<unknown[]>;
  getDeploymentTarget(namespace: string, name: string): Promise<unknown>;
  getDeploymentDefaults(namespace: string): Promise<unknown>;
  /** A session cluster (404 when the namespace has none of that name). */
  getSessionCluster(namespace: string, name: string): Promise<unknown>;
  /** The Autopilot policy status of a deployment (404 or 405 on a VVP without Autopilot). */
  getAutopilotStatus(namespace: string, deploymentId: string): Promise<AutopilotStatus>;
  /** GET /api/v1/status. */
  status(): Promise<unknown>;
  /**
   * Any other VVP call (the platform objects of platform.ts use it). `secrets` are scrubbed from errors like the
   * token, in every encoding (a secret value sent in the body never comes back in a message).
   */
  request<T>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
}

/** Methods of {@link VvpClient.request}. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options of {@link VvpClient.request}. */
export interface RequestOptions {
  /** Query parameters. */
  params?: Record<string, string>;
  /** Values to scrub from errors, besides the token. */
  secrets?: readonly string[];
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'PATCH', 'DELETE']);
const enc = encodeURIComponent;

/** Creates a client. No I/O happens until a method is called. */
export function createVvpClient(options: VvpClientOptions): VvpClient {
  const credentials = baseUrlCredentialsProblem(options.baseUrl);
  if (credentials) throw new VvpError(credentials);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const token = options.token;
  const timeoutMs = options.timeoutMs ?? 15000;
  const retries = options.retries ?? 4;
  const base = options.retryBaseMs ?? 200;
  const max = options.retryMaxMs ?? 5000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const http: AxiosInstance = axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
    transitional: { clarifyTimeoutError: true },
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  // every spelling of the token a server or library may echo: raw, JSON-escaped, URL-encoded, base64
  const forms = secretForms(token);

  async function once<T>(
    method: Method,
    path: string,
    body?: unknown,
    params?: Record<string, string>,
    extra: readonly string[] = [],
  ): Promise<T> {
    const secretsOf = extra.flatMap((x) => secretForms(x));
    const scrub = (text: string) => redactText(redactText(text, secretsOf), forms);
    const info: RequestInfo = { method: method.toUpperCase(), path: scrub(path) };
    const started = Date.now();
    let response;
    try {
      response = await http.request({
        method,
        url: path,
        ...(body !== undefined ? { data: body } : {}),
        ...(params ? { params } : {}),
      });
    } catch (err) {
      options.onRequest?.({ method: info.method, path, status: 0, durationMs: Date.now() - started });
      const code = (err as { code?: string }).code;
      const reason =
        code === 'ETIMEDOUT' || code === 'ECONNABORTED'
          ? `timed out after ${timeoutMs} ms`
          : scrub((err as Error).message || String(code));
      // the axios error carries the request headers (and so the token): it is not kept as a cause
      throw new VvpNetworkError(
        scrub(`VVP at ${baseUrl} is unreachable: ${info.method} ${path} failed: ${reason}`),
        info,
        code,
      );
    }
    options.onRequest?.({ method: info.method, path, status: response.status, durationMs: Date.now() - started });
    if (response.status >= 200 && response.status < 300) return response.data as T;
    const data: unknown = response.data;
    const vvpMessage =
      typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
        ? (data as { message: string }).message
        : typeof data === 'string' && data
          ? data
          : `HTTP ${response.status}`;
    const Err = errorForStatus(response.status);
    const safeBody =
      typeof data === 'object' && data !== null
        ? redactValue(data, [...secretsOf, ...forms])
        : scrub(String(data ?? ''));
    throw new Err(
      scrub(`VVP ${info.method} ${path} failed with ${response.status}: ${vvpMessage}`),
      response.status,
      info,
      safeBody,
    );
  }

  async function call<T>(
    method: Method,
    path: string,
    body?: unknown,
    params?: Record<string, string>,
    secrets?: readonly string[],
  ): Promise<T> {
    const retryable = IDEMPOTENT.has(method.toUpperCase());
    for (let attempt = 0; ; attempt++) {
      try {
        return await once<T>(method, path, body, params, secrets);
      } catch (err) {
        if (!retryable || attempt >= retries || !isTransient(err)) throw err;
        await sleep(Math.floor(random() * Math.min(max, base * 2 ** attempt)));
      }
    }
  }

  const items = <T>(list: { items?: T[] } | T[]): T[] => (Array.isArray(list) ? list : (list.items ?? []));
  const dep = (ns: string, name?: string) => namespacedPath(ns, 'deployments', name);
  const filterParams = (f: Record<string, string | undefined> | undefined) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(f ?? {})) if (v !== undefined) out[k] = v;
    return out;
  };

  return {
    baseUrl,
    getDeployment: (ns, name) => call('GET', dep(ns, name)),
    async findDeployment(ns, name) {
      try {
        return await call<VvpDeployment>('GET', dep(ns, name));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async listDeployments(ns, opts) {
      const sel = opts?.labelSelector;
      const labelSelector =
        typeof sel === 'string'
          ? sel
          : sel
            ? Object.entries(sel)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')
            : undefined;
      return items(
        await call<{ items?: VvpDeployment[] }>(
          'GET',
          dep(ns),
          undefined,
          labelSelector ? { labelSelector } : undefined,
        ),
      );
    },
    createDeployment: (ns, body) => call('POST', dep(ns), body),
    patchDeployment: (ns, name, body) => call('PATCH', dep(ns, name), body),
    putDeployment: (ns, name, body) => call('PUT', dep(ns, name), body),
    async deleteDeployment(ns, name) {
      await call('DELETE', dep(ns, name));
    },
    triggerSavepoint: (ns, deploymentId) =>
      call('POST', namespacedPath(ns, 'savepoints'), { metadata: { deploymentId } }),
    registerSavepoint: (ns, deploymentId, savepointLocation) =>
      call('POST', namespacedPath(ns, 'savepoints'), {
        metadata: { deploymentId },
        spec: { savepointLocation },
      }),
    getSavepoint: (ns, id) => call('GET', namespacedPath(ns, 'savepoints', id)),
    async listSavepoints(ns, filter) {
      return items(await call('GET', namespacedPath(ns, 'savepoints'), undefined, filterParams(filter)));
    },
    async listJobs(ns, filter) {
      return items(await call('GET', namespacedPath(ns, 'jobs'), undefined, filterParams(filter)));
    },
    getJob: (ns, id) => call('GET', namespacedPath(ns, 'jobs', id)),
    async listEvents(ns, filter) {
      return items(await call('GET', namespacedPath(ns, 'events'), undefined, filterParams(filter)));
    },
    createEvent: (ns, e) =>
      call('POST', namespacedPath(ns, 'events'), {
        metadata: { name: e.name ?? EXTERNAL_EVENT_NAME, deploymentId: e.deploymentId },
        spec: { message: e.message },
      }),
    async listDeploymentTargets(ns) {
      return items(await call('GET', namespacedPath(ns, 'deployment-targets')));
    },
    getDeploymentTarget: (ns, name) => call('GET', namespacedPath(ns, 'deployment-targets', name)),
    getDeploymentDefaults: (ns) => call('GET', namespacedPath(ns, 'deployment-defaults')),
    getSessionCluster: (ns, name) => call('GET', namespacedPath(ns, 'sessionclusters', name)),
    getAutopilotStatus: (ns, id) =>
      call('GET', `/autopilot/v1alpha1/namespaces/${enc(ns)}/deployments/${enc(id)}/autopilotpolicy:status`),
    status: () => call('GET', '/api/v1/status'),
    request: (method, path, body, opts) => call(method, path, body, opts?.params, opts?.secrets),
  };
}
