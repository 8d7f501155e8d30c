/**
 * FakeKube: an in-memory KubeApi for unit tests, with the apiserver behaviour the operator relies on
 * (generation moves only on spec changes, status subresource, finalizers and deletionTimestamp,
 * optimistic concurrency, watch events), a call log and failure knobs.
 */
import { randomUUID } from 'node:crypto';
import { deepEqual, isPlainObject } from '../../../core/src/json';
import {
  KubeApiError,
  keyOf,
  type KubeApi,
  type KubeEvent,
  type Lease,
  type ResourceList,
  type VvpDeploymentResource,
  type WatchEvent,
  type WatchHandle,
} from './types';

/** One recorded call of FakeKube. */
export interface FakeKubeCall {
  method: keyof KubeApi;
  args: unknown[];
}

const copy = <T>(v: T): T => structuredClone(v);

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return copy(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** In-memory KubeApi. */
export class FakeKube implements KubeApi {
  readonly calls: FakeKubeCall[] = [];
  readonly events: KubeEvent[] = [];
  readonly resources = new Map<string, VvpDeploymentResource>();
  readonly secrets = new Map<string, Record<string, string>>();
  readonly leases = new Map<string, Lease>();
  private rv = 100;
  private watchers = new Map<string, Set<(e: WatchEvent) => void>>();
  private history: { namespace: string; rv: number; event: WatchEvent }[] = [];
  private failures: { method: keyof KubeApi; status: number; times: number }[] = [];

  /** Scripts a failure: the next `times` calls of `method` fail with `status`. */
  fail(method: keyof KubeApi, status: number, times = 1): void {
    this.failures.push({ method, status, times });
  }

  /** Calls of one method. */
  callsOf(method: keyof KubeApi): FakeKubeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Stores a Secret (values given in plain text, stored base64 like the apiserver). */
  putSecret(namespace: string, name: string, data: Record<string, string>): void {
    this.secrets.set(
      `${namespace}/${name}`,
      Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    );
  }

  /** Creates or updates a CR as a user would (kubectl apply): generation moves when the spec changes. */
  apply(
    resource: Omit<VvpDeploymentResource, 'metadata'> & {
      metadata: Partial<VvpDeploymentResource['metadata']> & { name: string; namespace: string };
    },
  ): VvpDeploymentResource {
    const key = `${resource.metadata.namespace}/${resource.metadata.name}`;
    const existing = this.resources.get(key);
    const next: VvpDeploymentResource = existing
      ? {
          ...copy(existing),
          metadata: {
            ...copy(existing.metadata),
            labels: resource.metadata.labels ?? existing.metadata.labels,
            annotations: resource.metadata.annotations ?? existing.metadata.annotations,
          },
          spec: copy(resource.spec),
        }
      : {
          apiVersion: 'ververica.platform/v1',
          kind: 'VvpDeployment',
          metadata: {
            uid: randomUUID(),
            generation: 1,
            creationTimestamp: new Date(0).toISOString(),
            ...copy(resource.metadata),
          } as VvpDeploymentResource['metadata'],
          spec: copy(resource.spec),
        };
    if (existing && !deepEqual(existing.spec, next.spec))
      next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    return this.commit(key, next, existing ? 'MODIFIED' : 'ADDED');
  }

  /** Merge-patches a CR's spec as `kubectl patch --type=merge` would. */
  patchSpec(namespace: string, name: string, spec: unknown): VvpDeploymentResource {
    const existing = this.must(namespace, name);
    return this.apply({ ...existing, spec: mergePatch(existing.spec, spec) });
  }

  /** Deletes a CR as a user would: marked with deletionTimestamp while finalizers remain. */
  delete(namespace: string, name: string, at = new Date(0).toISOString()): void {
    const key = `${namespace}/${name}`;
    const existing = this.must(namespace, name);
    if (existing.metadata.finalizers?.length) {
      this.commit(
        key,
        {
          ...copy(existing),
          metadata: { ...copy(existing.metadata), deletionTimestamp: existing.metadata.deletionTimestamp ?? at },
        },
        'MODIFIED',
      );
    } else {
      this.resources.delete(key);
      this.emit(namespace, { type: 'DELETED', object: copy(existing) });
    }
  }

  /** The stored CR. */
  get(namespace: string, name: string): VvpDeploymentResource | undefined {
    const r = this.resources.get(`${namespace}/${name}`);
    return r && copy(r);
  }

  /** Events about one CR. */
  eventsFor(name: string): KubeEvent[] {
    return this.events.filter((e) => e.involved.name === name);
  }

  private enter(method: keyof KubeApi, args: unknown[]): void {
    this.calls.push({ method, args: copy(args) });
    const f = this.failures.find((x) => x.method === method && x.times > 0);
    if (!f) return;
    f.times--;
    throw new KubeApiError(`fake ${method} failure ${f.status}`, f.status);
  }

  private must(namespace: string, name: string): VvpDeploymentResource {
    const r = this.resources.get(`${namespace}/${name}`);
    if (!r) throw new KubeApiError(`vvpdeployments "${name}" not found`, 404);
    return r;
  }

  private commit(key: string, next: VvpDeploymentResource, type: 'ADDED' | 'MODIFIED'): VvpDeploymentResource {
    next.metadata.resourceVersion = String(++this.rv);
    this.resources.set(key, next);
    this.emit(next.metadata.namespace, { type, object: copy(next) });
    return copy(next);
  }

  private emit(namespace: string, event: WatchEvent): void {
    this.history.push({ namespace, rv: this.rv, event });
    for (const w of this.watchers.get(namespace) ?? []) w(event);
  }

  async listResources(namespace: string): Promise<ResourceList> {
    this.enter('listResources', [namespace]);
    return {
      items: [...this.resources.values()].filter((r) => r.metadata.namespace === namespace).map(copy),
      resourceVersion: String(this.rv),
    };
  }

  watchResources(namespace: string, _resourceVersion: string, onEvent: (e: WatchEvent) => void): WatchHandle {
    this.calls.push({ method: 'watchResources', args: [namespace, _resourceVersion] });
    const set = this.watchers.get(namespace) ?? new Set();
    this.watchers.set(namespace, set);
    set.add(onEvent);
    // like the apiserver, a watch starts with every change after the given resourceVersion
    for (const h of this.history)
      if (h.namespace === namespace && h.rv > Number(_resourceVersion)) onEvent(copy(h.event));
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    return {
      done,
      stop: () => {
        set.delete(onEvent);
        resolveDone();
      },
    };
  }

  async getResource(namespace: string, name: string): Promise<VvpDeploymentResource | undefined> {
    this.enter('getResource', [namespace, name]);
    return this.get(namespace, name);
  }

  async setFinalizers(
    resource: VvpDeploymentResource,
    finalizers: string[],
  ): Promise<VvpDeploymentResource | undefined> {
    this.enter('setFinalizers', [keyOf(resource), finalizers]);
    const key = keyOf(resource);
    const existing = this.must(resource.metadata.namespace, resource.metadata.name);
    if (resource.metadata.resourceVersion !== existing.metadata.resourceVersion)
      throw new KubeApiError('the object has been modified', 409, 'Conflict');
    if (existing.metadata.deletionTimestamp && finalizers.length === 0) {
      this.resources.delete(key);
      this.emit(existing.metadata.namespace, { type: 'DELETED', object: copy(existing) });
      return undefined;
    }
    return this.commit(
      key,
      { ...copy(existing), metadata: { ...copy(existing.metadata), finalizers: [...finalizers] } },
      'MODIFIED',
    );
  }

  async patchStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<VvpDeploymentResource> {
    this.enter('patchStatus', [namespace, name, status]);
    const existing = this.must(namespace, name);
    const next = {
      ...copy(existing),
      status: mergePatch(existing.status ?? {}, status) as VvpDeploymentResource['status'],
    };
    return this.commit(`${namespace}/${name}`, next, 'MODIFIED');
  }

  async getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    this.enter('getSecretData', [namespace, name]);
    const s = this.secrets.get(`${namespace}/${name}`);
    return s && copy(s);
  }

  async createEvent(event: KubeEvent): Promise<void> {
    this.enter('createEvent', [event]);
    this.events.push(copy(event));
  }

  async getLease(namespace: string, name: string): Promise<Lease | undefined> {
    this.enter('getLease', [namespace, name]);
    const l = this.leases.get(`${namespace}/${name}`);
    return l && copy(l);
  }

  async createLease(lease: Lease): Promise<Lease> {
    this.enter('createLease', [lease]);
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    if (this.leases.has(key)) throw new KubeApiError('already exists', 409, 'AlreadyExists');
    const stored = { ...copy(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } };
    this.leases.set(key, stored);
    return copy(stored);
  }

  async replaceLease(lease: Lease): Promise<Lease> {
    this.enter('replaceLease', [lease]);
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    const existing = this.leases.get(key);
    if (!existing) throw new KubeApiError('not found', 404);
    if (existing.metadata.resourceVersion !== lease.metadata.resourceVersion)
      throw new KubeApiError('the object has been modified', 409, 'Conflict');
    const stored = { ...copy(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } };
    this.leases.set(key, stored);
    return copy(stored);
  }
}
