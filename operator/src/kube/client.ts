/**
 * The real KubeApi: @kubernetes/client-node's KubeConfig loads the kubeconfig (or the in-cluster service
 * account) and supplies TLS material and credentials; requests go through one keep-alive HTTPS agent.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { delimiter, dirname, resolve as resolvePath } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { isNotFound, VvpError } from '../../../core/src/errors';
import { CUSTOM_RESOURCE } from '../../../core/src/model/generated';
import { checkFlagFile, readFlagFile } from '../runtime/files';
import {
  KubeApiError,
  type KubeApi,
  type KubeEvent,
  type Lease,
  type ResourceList,
  type VvpDeploymentResource,
  type WatchEvent,
  type WatchHandle,
} from './types';

/** Options of the real Kubernetes client. */
export interface KubeClientOptions {
  /** Path of a kubeconfig; in-cluster config or $KUBECONFIG / ~/.kube/config when absent. */
  kubeconfig?: string;
  /** Per-request timeout in ms (not for watches). @default 30000 */
  timeoutMs?: number;
  /** Called after every request (metrics). */
  onRequest?: (report: { verb: string; status: number }) => void;
  /** Name of the component in Events. @default vvp-operator */
  component?: string;
}

const enc = encodeURIComponent;
const crPath = (ns: string, name?: string) =>
  `/apis/${CUSTOM_RESOURCE.group}/${CUSTOM_RESOURCE.version}/namespaces/${enc(ns)}/${CUSTOM_RESOURCE.plural}${name !== undefined ? `/${enc(name)}` : ''}`;
const leasePath = (ns: string, name?: string) =>
  `/apis/coordination.k8s.io/v1/namespaces/${enc(ns)}/leases${name !== undefined ? `/${enc(name)}` : ''}`;

/**
 * Loads a KubeConfig the way kubectl does (explicit file, else in-cluster, else default locations). The kubeconfig
 * and the files it names (CA, client certificate and key, read again by each request) must be regular files within
 * the flag-file limit.
 */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) {
    kc.loadFromString(readFlagFile('--kubeconfig', file, 'a kubeconfig file'));
    kc.makePathsAbsolute(dirname(resolvePath(file)));
  } else {
    // $KUBECONFIG names files as the flag does (several, joined by the path delimiter, are merged by the library)
    for (const f of (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean))
      checkFlagFile('$KUBECONFIG', f, 'a kubeconfig file');
    kc.loadFromDefault();
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new VvpError(
      `no Kubernetes cluster configured${file ? ` in kubeconfig ${file}` : ''}; pass --kubeconfig or run in a cluster`,
      { source: 'config' },
    );
  const user = kc.getCurrentUser();
  const source = file ? `--kubeconfig ${file}:` : 'the kubeconfig:';
  if (cluster.caFile) checkFlagFile(source, cluster.caFile, 'a PEM CA file as certificate-authority');
  if (user?.certFile) checkFlagFile(source, user.certFile, 'a PEM certificate as client-certificate');
  if (user?.keyFile) checkFlagFile(source, user.keyFile, 'a PEM key as client-key');
  return kc;
}

/** Creates the real KubeApi. */
export function createKubeClient(options: KubeClientOptions = {}): KubeApi {
  const kc = loadKubeConfig(options.kubeconfig);
  const server = new URL(kc.getCurrentCluster()!.server);
  const isHttps = server.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 30000;
  const component = options.component ?? 'vvp-operator';
  let agent: http.Agent | undefined;

  async function requestOptions(
    method: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', ...headers } };
    await kc.applyToHTTPSOptions(opts);
    if (!agent) {
      agent = isHttps
        ? new https.Agent({
            keepAlive: true,
            maxSockets: 64,
            ca: opts.ca,
            cert: opts.cert,
            key: opts.key,
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
          })
        : new http.Agent({ keepAlive: true, maxSockets: 64 });
    }
    return {
      ...opts,
      agent,
      hostname: server.hostname,
      port: server.port || (isHttps ? 443 : 80),
      path: `${server.pathname.replace(/\/$/, '')}${path}`,
    };
  }

  function send(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      requestOptions(
        method,
        path,
        payload ? { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) } : {},
      ).then((opts) => {
        const req = (isHttps ? https : http).request({ ...opts, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = undefined;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = { message: text };
            }
            options.onRequest?.({ verb: method, status: res.statusCode ?? 0 });
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
        req.on('error', (err) => {
          options.onRequest?.({ verb: method, status: 0 });
          reject(new KubeApiError(`Kubernetes API ${method} ${path} failed: ${err.message}`, 0));
        });
        if (payload) req.write(payload);
        req.end();
      }, reject);
    });
  }

  async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await send(method, path, body, contentType);
    if (r.status >= 200 && r.status < 300) return r.json as T;
    const st = (r.json ?? {}) as { message?: string; reason?: string };
    throw new KubeApiError(
      `Kubernetes API ${method} ${path} failed with ${r.status}: ${st.message ?? 'no message'}`,
      r.status,
      st.reason,
    );
  }

  async function getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await call<T>('GET', path);
    } catch (err) {
      if (isNotFound(err, 'kubernetes')) return undefined;
      throw err;
    }
  }

  function watchResources(
    namespace: string,
    resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
    wopts: { timeoutSeconds?: number } = {},
  ): WatchHandle {
    let req: http.ClientRequest | undefined;
    let stopped = false;
    const query = `?watch=1&allowWatchBookmarks=true&resourceVersion=${enc(resourceVersion)}&timeoutSeconds=${wopts.timeoutSeconds ?? 300}`;
    const path = crPath(namespace) + query;
    const done = new Promise<void>((resolve, reject) => {
      requestOptions('GET', path, {}).then((opts) => {
        if (stopped) return resolve();
        req = (isHttps ? https : http).request(opts, (res) => {
          if ((res.statusCode ?? 0) >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              reject(
                new KubeApiError(
                  `watch ${path} failed with ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`,
                  res.statusCode ?? 0,
                ),
              ),
            );
            return;
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl).trim();
              buffer = buffer.slice(nl + 1);
              if (!line) continue;
              try {
                const parsed = JSON.parse(line) as { type: string; object: unknown };
                if (parsed.type === 'ERROR')
                  onEvent({ type: 'ERROR', status: parsed.object as { code?: number; message?: string } });
                else onEvent(parsed as WatchEvent);
              } catch {
                // a line that is not JSON is not a watch event; the stream continues
              }
            }
          });
          res.on('end', () => resolve());
          res.on('error', (err) => (stopped ? resolve() : reject(err)));
          res.on('close', () => resolve());
        });
        req.on('error', (err) =>
          stopped ? resolve() : reject(new KubeApiError(`watch ${path} failed: ${err.message}`, 0)),
        );
        // the server ends the watch after timeoutSeconds; a connection that died silently is cut a bit later
        const deadline = setTimeout(() => req?.destroy(), ((wopts.timeoutSeconds ?? 300) + 30) * 1000);
        deadline.unref();
        req.on('close', () => clearTimeout(deadline));
        req.end();
      }, reject);
    });
    return {
      done,
      stop() {
        stopped = true;
        req?.destroy();
      },
    };
  }

  return {
    async listResources(namespace) {
      const list = await call<{ items?: VvpDeploymentResource[]; metadata?: { resourceVersion?: string } }>(
        'GET',
        crPath(namespace),
      );
      return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' } satisfies ResourceList;
    },
    watchResources,
    getResource: (namespace, name) => getOrUndefined<VvpDeploymentResource>(crPath(namespace, name)),
    async setFinalizers(resource, finalizers) {
      const patch = { metadata: { finalizers, resourceVersion: resource.metadata.resourceVersion } };
      try {
        return await call<VvpDeploymentResource>(
          'PATCH',
          crPath(resource.metadata.namespace, resource.metadata.name),
          patch,
          'application/merge-patch+json',
        );
      } catch (err) {
        // removing the last finalizer of a deleted CR makes it disappear: a 404 afterwards means done
        if (isNotFound(err, 'kubernetes')) return undefined;
        throw err;
      }
    },
    patchStatus: (namespace, name, status) =>
      call('PATCH', `${crPath(namespace, name)}/status`, { status }, 'application/merge-patch+json'),
    async getSecretData(namespace, name) {
      const secret = await getOrUndefined<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${enc(namespace)}/secrets/${enc(name)}`,
      );
      return secret ? (secret.data ?? {}) : undefined;
    },
    async createEvent(e: KubeEvent) {
      const now = new Date().toISOString();
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${e.involved.name}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 8)}`,
          namespace: e.involved.namespace,
        },
        involvedObject: {
          apiVersion: `${CUSTOM_RESOURCE.group}/${CUSTOM_RESOURCE.version}`,
          kind: CUSTOM_RESOURCE.kind,
          name: e.involved.name,
          namespace: e.involved.namespace,
          uid: e.involved.uid,
          ...(e.involved.resourceVersion ? { resourceVersion: e.involved.resourceVersion } : {}),
        },
        type: e.type,
        reason: e.reason,
        message: e.message.slice(0, 1024),
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      await call('POST', `/api/v1/namespaces/${enc(e.involved.namespace)}/events`, body);
    },
    getLease: (namespace, name) => getOrUndefined<Lease>(leasePath(namespace, name)),
    createLease: (lease) =>
      call<Lease>('POST', leasePath(lease.metadata.namespace), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        ...lease,
      }),
    replaceLease: (lease) =>
      call<Lease>('PUT', leasePath(lease.metadata.namespace, lease.metadata.name), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        ...lease,
      }),
  };
}
