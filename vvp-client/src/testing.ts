/**
 * FakeVvpClient: an in-memory VvpClient for fast unit tests of code above the client, with a call log and
 * failure knobs. Deployments reach their desired state when `settle()` is called (no timers, no clock).
 */
import { randomUUID } from 'node:crypto';
import { AutopilotModes, type AutopilotStatus } from '../../core/src/autopilot';
import type { Deployment } from '../../core/src/model/generated';
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import { deepMerge, setPath } from '../../core/src/json';
import type { HttpMethod, RequestOptions, VvpClient } from './client';
import { errorForStatus, VvpNetworkError } from './errors';
import { namespacedPath } from './paths';

/** One recorded call. */
export interface FakeCall {
  method: keyof VvpClient;
  args: unknown[];
}

/** A scripted failure: the next `times` calls of `method` fail with `status` (0 = network error). */
export interface FakeFailure {
  method: keyof VvpClient;
  status: number;
  message?: string;
  times?: number;
}

/** In-memory VvpClient. */
export class FakeVvpClient implements VvpClient {
  readonly baseUrl = 'http://fake-vvp';
  readonly calls: FakeCall[] = [];
  readonly deployments = new Map<string, VvpDeployment>();
  readonly savepoints = new Map<string, VvpSavepoint>();
  readonly events: VvpEvent[] = [];
  /**
   * Objects reached through `request` (targets, session clusters, secret values, defaults), by path; a session
   * cluster here (`/api/v1/namespaces/NS/sessionclusters/NAME`) is also what `getSessionCluster` finds.
   */
  readonly objects = new Map<string, Record<string, unknown>>();
  /** Autopilot status by deployment id (DISABLED when absent); `false`: a VVP without Autopilot (404). */
  autopilot: Map<string, AutopilotStatus> | false = new Map();
  /** Paths (segments) a strict VVP drops from every stored deployment. */
  dropPaths: string[][] = [];
  private failures: (FakeFailure & { used: number })[] = [];

  /** Scripts a failure. */
  fail(failure: FakeFailure): void {
    this.failures.push({ ...failure, used: 0 });
  }

  /** Calls of one method. */
  callsOf(method: keyof VvpClient): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Write calls (create, patch, put, delete, savepoint). */
  writes(): FakeCall[] {
    const w: (keyof VvpClient)[] = [
      'createDeployment',
      'patchDeployment',
      'putDeployment',
      'deleteDeployment',
      'triggerSavepoint',
      'registerSavepoint',
    ];
    return this.calls.filter((c) => w.includes(c.method) || (c.method === 'request' && c.args[0] !== 'GET'));
  }

  /** Moves every deployment's actual state to its desired state. */
  settle(): void {
    for (const d of this.deployments.values()) {
      d.status = {
        state: d.spec.state ?? 'CANCELLED',
        ...(d.spec.state === 'RUNNING' ? { running: { jobId: d.status?.running?.jobId ?? randomUUID() } } : {}),
      };
    }
  }

  /** Sets a deployment's actual state directly. */
  setActual(namespace: string, name: string, state: NonNullable<VvpDeployment['status']>['state']): void {
    const d = this.deployments.get(`${namespace}/${name}`);
    if (d) d.status = { ...d.status, state };
  }

  private enter(method: keyof VvpClient, args: unknown[]): void {
    this.calls.push({ method, args });
    const f = this.failures.find((x) => x.method === method && (x.times === undefined || x.used < x.times));
    if (!f) return;
    f.used++;
    const request = { method: String(method), path: 'fake' };
    if (f.status === 0) throw new VvpNetworkError(f.message ?? 'fake network error', request, 'ECONNREFUSED');
    const Err = errorForStatus(f.status);
    throw new Err(f.message ?? `fake ${f.status}`, f.status, request, { message: f.message });
  }

  private find(ns: string, nameOrId: string): VvpDeployment | undefined {
    return (
      this.deployments.get(`${ns}/${nameOrId}`) ??
      [...this.deployments.values()].find((d) => d.metadata.namespace === ns && d.metadata.id === nameOrId)
    );
  }

  private must(ns: string, name: string): VvpDeployment {
    const d = this.find(ns, name);
    if (!d)
      throw new (errorForStatus(404))(`Deployment '${name}' does not exist`, 404, { method: 'GET', path: 'fake' }, {});
    return d;
  }

  private store(ns: string, body: Deployment, existing?: VvpDeployment): VvpDeployment {
    const name = body.metadata?.name ?? existing?.metadata.name ?? '';
    const d: VvpDeployment = {
      kind: 'Deployment',
      apiVersion: 'v1',
      metadata: {
        ...body.metadata,
        id: existing?.metadata.id ?? randomUUID(),
        name,
        namespace: ns,
        resourceVersion: (existing?.metadata.resourceVersion ?? 0) + 1,
      },
      spec: body.spec ?? {},
      status: existing?.status ?? { state: 'CANCELLED' },
    };
    d.metadata = structuredClone(d.metadata);
    d.spec = structuredClone(d.spec);
    for (const path of this.dropPaths) setPath(d as never, path, undefined);
    this.deployments.set(`${ns}/${name}`, d);
    return structuredClone(d);
  }

  async getDeployment(ns: string, name: string) {
    this.enter('getDeployment', [ns, name]);
    return structuredClone(this.must(ns, name));
  }
  async findDeployment(ns: string, name: string) {
    this.enter('findDeployment', [ns, name]);
    const d = this.find(ns, name);
    return d && structuredClone(d);
  }
  async listDeployments(ns: string) {
    this.enter('listDeployments', [ns]);
    return [...this.deployments.values()].filter((d) => d.metadata.namespace === ns).map((d) => structuredClone(d));
  }
  async createDeployment(ns: string, body: Deployment) {
    this.enter('createDeployment', [ns, body]);
    if (this.find(ns, body.metadata?.name ?? ''))
      throw new (errorForStatus(409))('already exists', 409, { method: 'POST', path: 'fake' }, {});
    return this.store(ns, body);
  }
  async patchDeployment(ns: string, name: string, body: Deployment) {
    this.enter('patchDeployment', [ns, name, body]);
    const d = this.must(ns, name);
    return this.store(ns, deepMerge({ metadata: d.metadata, spec: d.spec } as Deployment, body), d);
  }
  async putDeployment(ns: string, name: string, body: Deployment) {
    this.enter('putDeployment', [ns, name, body]);
    return this.store(ns, { ...body, metadata: { ...body.metadata, name } }, this.find(ns, name));
  }
  async deleteDeployment(ns: string, name: string) {
    this.enter('deleteDeployment', [ns, name]);
    const d = this.must(ns, name);
    this.deployments.delete(`${ns}/${d.metadata.name}`);
  }
  async triggerSavepoint(ns: string, deploymentId: string) {
    this.enter('triggerSavepoint', [ns, deploymentId]);
    const sp: VvpSavepoint = {
      metadata: { id: randomUUID(), namespace: ns, deploymentId, origin: 'USER_REQUEST' },
      spec: { savepointLocation: `s3://fake/${deploymentId}` },
      status: { state: 'STARTED' },
    };
    this.savepoints.set(sp.metadata.id, sp);
    return structuredClone(sp);
  }
  async registerSavepoint(ns: string, deploymentId: string, savepointLocation: string) {
    this.enter('registerSavepoint', [ns, deploymentId, savepointLocation]);
    const sp: VvpSavepoint = {
      metadata: { id: randomUUID(), namespace: ns, deploymentId, origin: 'COPIED' },
      spec: { savepointLocation },
      status: { state: 'COMPLETED' },
    };
    this.savepoints.set(sp.metadata.id, sp);
    return structuredClone(sp);
  }
  async getSavepoint(ns: string, id: string) {
    this.enter('getSavepoint', [ns, id]);
    const sp = this.savepoints.get(id);
    if (!sp)
      throw new (errorForStatus(404))(`Savepoint '${id}' does not exist`, 404, { method: 'GET', path: 'fake' }, {});
    return structuredClone(sp);
  }
  async listSavepoints(ns: string, filter?: { deploymentId?: string }) {
    this.enter('listSavepoints', [ns, filter]);
    return [...this.savepoints.values()].filter(
      (s) => !filter?.deploymentId || s.metadata.deploymentId === filter.deploymentId,
    );
  }
  async listJobs(ns: string, filter?: { deploymentId?: string }): Promise<VvpJob[]> {
    this.enter('listJobs', [ns, filter]);
    return [];
  }
  async getJob(ns: string, id: string): Promise<VvpJob> {
    this.enter('getJob', [ns, id]);
    throw new (errorForStatus(404))(`Job '${id}' does not exist`, 404, { method: 'GET', path: 'fake' }, {});
  }
  async listEvents(ns: string, filter?: { deploymentId?: string }) {
    this.enter('listEvents', [ns, filter]);
    return this.events.filter((e) => !filter?.deploymentId || e.metadata.deploymentId === filter.deploymentId);
  }
  async createEvent(ns: string, e: { deploymentId: string; message: string; name?: string }) {
    this.enter('createEvent', [ns, e]);
    const ev: VvpEvent = {
      metadata: { id: randomUUID(), namespace: ns, deploymentId: e.deploymentId, name: e.name ?? 'EXTERNAL' },
      spec: { message: e.message },
    };
    this.events.push(ev);
    return ev;
  }
  async listDeploymentTargets(ns: string) {
    this.enter('listDeploymentTargets', [ns]);
    return [{ metadata: { name: 'default', namespace: ns } }];
  }
  async getDeploymentTarget(ns: string, name: string) {
    this.enter('getDeploymentTarget', [ns, name]);
    return { metadata: { name, namespace: ns } };
  }
  async getDeploymentDefaults(ns: string) {
    this.enter('getDeploymentDefaults', [ns]);
    return { kind: 'DeploymentDefaults', spec: {} };
  }
  async getSessionCluster(ns: string, name: string) {
    this.enter('getSessionCluster', [ns, name]);
    const path = namespacedPath(ns, 'sessionclusters', name);
    const found = this.objects.get(path);
    if (!found)
      throw new (errorForStatus(404))(`Session cluster '${name}' does not exist`, 404, { method: 'GET', path }, {});
    return structuredClone(found) as { metadata: { name: string; namespace: string } };
  }
  async getAutopilotStatus(ns: string, deploymentId: string): Promise<AutopilotStatus> {
    this.enter('getAutopilotStatus', [ns, deploymentId]);
    if (this.autopilot === false)
      throw new (errorForStatus(404))('no such route', 404, { method: 'GET', path: 'fake' }, {});
    return structuredClone(
      this.autopilot.get(deploymentId) ?? { mode: AutopilotModes.DISABLED, scalingInProgress: false },
    );
  }
  async status() {
    this.enter('status', []);
    return { status: 'OK' };
  }

  /** A generic in-memory REST store: collections answer `{items}`, POST names by metadata.name (409 if taken). */
  async request<T>(method: HttpMethod, path: string, body?: unknown, _options?: RequestOptions): Promise<T> {
    this.enter('request', [method, path, body]);
    const b = (body ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
    const shown = (o: Record<string, unknown>) => {
      const copy = structuredClone(o) as { spec?: Record<string, unknown> };
      if (path.includes('/secret-values') && copy.spec) delete copy.spec.value; // write-only, as in VVP
      return copy as T;
    };
    const missing = () => new (errorForStatus(404))(`'${path}' does not exist`, 404, { method, path }, {});
    const found = this.objects.get(path);
    if (method === 'GET' && path.endsWith('/deployment-defaults'))
      return shown(found ?? { kind: 'DeploymentDefaults', spec: {} });
    if (method === 'GET' && !found) {
      const items = [...this.objects.entries()].filter(([k]) => k.startsWith(`${path}/`)).map(([, v]) => shown(v));
      if (items.length > 0 || /(targets|clusters|values|savepoints)$/.test(path)) return { items } as T;
      throw missing();
    }
    if (method === 'GET') return shown(found!);
    if (method === 'DELETE') {
      if (!found) throw missing();
      this.objects.delete(path);
      return undefined as T;
    }
    const key = method === 'POST' ? `${path}/${String(b.metadata?.name ?? randomUUID())}` : path;
    const existing = this.objects.get(key);
    if (method === 'POST' && existing) throw new (errorForStatus(409))('already exists', 409, { method, path }, {});
    if (method === 'PATCH' && !existing && !path.endsWith('/deployment-defaults')) throw missing();
    const merged = method === 'PATCH' ? deepMerge(existing ?? {}, b as Record<string, unknown>) : structuredClone(b);
    const metadata = {
      ...(merged.metadata as Record<string, unknown> | undefined),
      id: (existing?.metadata as { id?: string } | undefined)?.id ?? randomUUID(),
      resourceVersion:
        Number((existing?.metadata as { resourceVersion?: number } | undefined)?.resourceVersion ?? 0) + 1,
    };
    this.objects.set(key, { ...merged, metadata });
    return shown(this.objects.get(key)!);
  }
}
