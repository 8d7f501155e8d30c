/**
 * Session clusters of a namespace (`/api/v1/namespaces/{ns}/sessionclusters`): CRUD, upsert PUT and merge PATCH,
 * and a state machine STOPPED → STARTING → RUNNING (→ UPDATING → RUNNING on a spec change) → STOPPING → STOPPED,
 * one transition delay per phase on the store's scheduler. Session-mode deployments wait for RUNNING (machine.ts).
 * Decisions and sources: docs/adr/0010.
 */
import { HttpError } from './errors';
import { isObj, mergePatch, setOwn, show, type Json } from './json';
import { schedule } from './machine';
import { NAME, SESSION_CLUSTER, SESSION_CLUSTER_24 } from './model';
import {
  activeJob,
  namespaceOf,
  newMetadata,
  now,
  type Namespace,
  type PlatformState,
  type SessionClusterRecord,
} from './state';
import { checkFields, objectOrAbsent } from './validate';

/** The session clusters of a namespace (the map is made on first use). */
export const clustersOf = (ns: Namespace): Map<string, SessionClusterRecord> => (ns.sessionClusters ??= new Map());

const spec = (r: SessionClusterRecord): Json => r.cluster.spec as Json;
const status = (r: SessionClusterRecord): Json => r.cluster.status as Json;
const meta = (r: SessionClusterRecord): Json => r.cluster.metadata as Json;

/** A session cluster by id (first) or name, or 404. */
export function clusterRecord(s: PlatformState, namespace: string, nameOrId: string): SessionClusterRecord {
  const all = clustersOf(namespaceOf(s, namespace));
  for (const r of all.values()) if (meta(r).id === nameOrId) return r;
  const r = all.get(nameOrId);
  if (!r) throw new HttpError(404, `Session cluster '${nameOrId}' does not exist in namespace '${namespace}'`);
  return r;
}

/** True when the namespace has a session cluster of that name in status RUNNING. */
export function clusterRunning(ns: Namespace, name: string): boolean {
  const r = ns.sessionClusters?.get(name);
  return r !== undefined && status(r).state === 'RUNNING';
}

/** 400 when a deployment names a session cluster that does not exist (called on every deployment write). */
export function checkSessionCluster(s: PlatformState, namespace: string, d: { spec?: Json | object }): void {
  const name = (d.spec as Json | undefined)?.sessionClusterName;
  if (typeof name !== 'string') return;
  if (!clustersOf(namespaceOf(s, namespace)).has(name))
    throw new HttpError(
      400,
      `Session cluster ${show(name)} does not exist in namespace '${namespace}' (spec.sessionClusterName); create it first with POST /api/v1/namespaces/${namespace}/sessionclusters or remove spec.sessionClusterName`,
    );
}

export const listClusters = (s: PlatformState, namespace: string): Json[] =>
  [...clustersOf(namespaceOf(s, namespace)).values()].map((r) => r.cluster);

export const getCluster = (s: PlatformState, namespace: string, nameOrId: string): Json =>
  clusterRecord(s, namespace, nameOrId).cluster;

/** POST: 409 when the name exists. */
export function createCluster(s: PlatformState, namespace: string, body: Json): Json {
  const m = objectOrAbsent(body, 'metadata') ?? {};
  if (typeof m.name !== 'string') throw new HttpError(400, `Invalid metadata.name ${show(m.name)}: it is required`);
  if (clustersOf(namespaceOf(s, namespace)).has(m.name))
    throw new HttpError(409, `Session cluster '${m.name}' already exists in namespace '${namespace}'`);
  return putCluster(s, namespace, m.name, body).cluster;
}

/** PUT: creates or replaces (omitted spec fields are removed; the state defaults to STOPPED). */
export function putCluster(
  s: PlatformState,
  namespace: string,
  name: string,
  body: Json,
): { created: boolean; cluster: Json } {
  const m = objectOrAbsent(body, 'metadata') ?? {};
  if (m.name !== undefined && m.name !== name)
    throw new HttpError(400, `metadata.name ${show(m.name)} does not match the path name '${name}'`);
  const existing = clustersOf(namespaceOf(s, namespace)).get(name);
  const next = check(s, namespace, name, body, existing);
  return existing
    ? { created: false, cluster: commit(s, existing, next) }
    : { created: true, cluster: insert(s, namespace, next) };
}

/** PATCH: objects merge, arrays replace, null removes; name and id are immutable. */
export function patchCluster(s: PlatformState, namespace: string, nameOrId: string, body: Json): Json {
  const r = clusterRecord(s, namespace, nameOrId);
  const m = objectOrAbsent(body, 'metadata', 'would remove the metadata') ?? {};
  objectOrAbsent(body, 'spec', 'would remove the spec');
  for (const k of ['name', 'id'])
    if (m[k] !== undefined && m[k] !== meta(r)[k])
      throw new HttpError(400, `metadata.${k} is immutable (is '${String(meta(r)[k])}', got ${show(m[k])})`);
  const { metadata: _m, spec: _s, ...rest } = body; // kind, apiVersion, status or unknown fields: checked, not kept
  const merged = mergePatch({ metadata: meta(r), spec: spec(r) }, { metadata: m, spec: body.spec ?? {} }) as Json;
  return commit(s, r, check(s, namespace, String(meta(r).name), { ...rest, ...merged }, r));
}

/** DELETE: refused while the desired state is RUNNING or a deployment runs (or may run) on the cluster. */
export function deleteCluster(s: PlatformState, namespace: string, nameOrId: string): Json {
  const ns = namespaceOf(s, namespace);
  const r = clusterRecord(s, namespace, nameOrId);
  const name = String(meta(r).name);
  if (spec(r).state === 'RUNNING')
    throw new HttpError(
      409,
      `Session cluster '${name}' can only be deleted in desired state STOPPED (desired state is RUNNING); set spec.state to STOPPED first`,
    );
  const users = [...ns.deployments.values()]
    .filter((d) => d.deployment.spec.sessionClusterName === name)
    .map((d) => `'${d.deployment.metadata.name}'`);
  if (users.length > 0)
    throw new HttpError(
      409,
      `Session cluster '${name}' is referenced by deployment ${users.join(', ')}; delete the deployments or change their spec.sessionClusterName first`,
    );
  r.cancel?.();
  clustersOf(ns).delete(name);
  s.changed();
  return r.cluster;
}

/** Validates a write and returns the next metadata and spec (not yet stored). */
function check(s: PlatformState, namespace: string, name: string, body: Json, old?: SessionClusterRecord): Json {
  if (!NAME.test(name) || name.length > 63)
    throw new HttpError(
      400,
      `Invalid session cluster name ${show(name)}: use at most 63 characters of [-0-9a-z], not starting or ending with '-'`,
    );
  const m = { ...(objectOrAbsent(body, 'metadata') ?? {}) };
  const sp = mergePatch({}, objectOrAbsent(body, 'spec') ?? {}) as Json;
  const shape = s.profile.engineVersionPath ? SESSION_CLUSTER : SESSION_CLUSTER_24;
  const checked: Json = { ...body, metadata: m, spec: sp };
  checkFields(checked, shape, '', s.model.unknownFields);
  if (m.namespace !== undefined && m.namespace !== namespace)
    throw new HttpError(
      400,
      `metadata.namespace ${show(m.namespace)} does not match the path namespace '${namespace}'`,
    );
  if (old && m.resourceVersion !== undefined && m.resourceVersion !== meta(old).resourceVersion)
    throw new HttpError(
      409,
      `Session cluster '${name}' was modified: resourceVersion ${show(m.resourceVersion)} is stale (current ${String(meta(old).resourceVersion)})`,
    );
  sp.state ??= 'STOPPED';
  if (typeof sp.deploymentTargetName !== 'string' || sp.deploymentTargetName === '')
    throw new HttpError(
      400,
      `Invalid spec.deploymentTargetName ${show(sp.deploymentTargetName)}: it is required (the target the cluster runs on)`,
    );
  if (!namespaceOf(s, namespace).targets.has(sp.deploymentTargetName))
    throw new HttpError(
      400,
      `Deployment target ${show(sp.deploymentTargetName)} does not exist in namespace '${namespace}' (spec.deploymentTargetName); create it first with POST /api/v1/namespaces/${namespace}/deployment-targets`,
    );
  if (sp.numberOfTaskManagers !== undefined && (sp.numberOfTaskManagers as number) < 1)
    throw new HttpError(
      400,
      `Invalid spec.numberOfTaskManagers ${show(sp.numberOfTaskManagers)}: must be an integer of at least 1`,
    );
  const conf = sp.flinkConfiguration;
  if (isObj(conf)) for (const [k, v] of Object.entries(conf)) if (typeof v !== 'string') setOwn(conf, k, String(v));
  if (old && spec(old).state === 'RUNNING' && sp.state === 'STOPPED') refuseStopWhileUsed(s, namespace, name);
  return checked;
}

/** Stopping a cluster under a running job is refused (ADR 0010: VVP's behaviour is not public). */
function refuseStopWhileUsed(s: PlatformState, namespace: string, name: string): void {
  const ns = namespaceOf(s, namespace);
  const users = [...ns.deployments.values()]
    .filter((r) => r.deployment.spec.sessionClusterName === name && activeJob(ns, r.deployment))
    .map((r) => `'${r.deployment.metadata.name}'`);
  if (users.length > 0)
    throw new HttpError(
      409,
      `Session cluster '${name}' runs jobs of deployment ${users.join(', ')}; cancel or suspend them before setting spec.state STOPPED`,
    );
}

function insert(s: PlatformState, namespace: string, next: Json): Json {
  const m = next.metadata as Json;
  const r: SessionClusterRecord = {
    cluster: {
      kind: 'SessionCluster',
      apiVersion: 'v1',
      metadata: newMetadata(s, namespace, m.name, m),
      spec: next.spec,
      status: { state: 'STOPPED' },
    },
  };
  clustersOf(namespaceOf(s, namespace)).set(String(m.name), r);
  scheduleCluster(s, r);
  s.changed();
  return r.cluster;
}

function commit(s: PlatformState, r: SessionClusterRecord, next: Json): Json {
  const m = next.metadata as Json;
  const specChanged = JSON.stringify(spec(r)) !== JSON.stringify(next.spec);
  r.cluster = {
    ...r.cluster,
    metadata: {
      ...meta(r),
      labels: m.labels ?? meta(r).labels,
      annotations: m.annotations ?? meta(r).annotations,
      modifiedAt: now(s),
      resourceVersion: Number(meta(r).resourceVersion) + 1,
    },
    spec: next.spec,
  };
  if (specChanged) {
    r.changedSpec = status(r).state === 'RUNNING';
    scheduleCluster(s, r);
  }
  s.changed();
  return r.cluster;
}

/** Schedules the next phase of a cluster (replacing a scheduled one). */
export function scheduleCluster(s: PlatformState, r: SessionClusterRecord): void {
  if (s.stopped) return;
  r.cancel?.();
  r.cancel = s.scheduler.after(s.delay, () => {
    r.cancel = undefined;
    const ns = s.namespaces.get(String(meta(r).namespace));
    if (s.stopped || !ns || ns.sessionClusters?.get(String(meta(r).name)) !== r) return;
    if (clusterStep(s, ns, r)) scheduleCluster(s, r);
    s.changed();
  });
}

/** One phase; returns true when another is due. */
function clusterStep(s: PlatformState, ns: Namespace, r: SessionClusterRecord): boolean {
  const desired = spec(r).state;
  const actual = status(r).state;
  const set = (state: string): void => {
    const at = now(s);
    const started = (status(r).running as Json | undefined)?.startedAt ?? at;
    r.cluster.status = {
      state,
      ...(state === 'RUNNING' ? { running: { startedAt: started, lastUpdateTime: at } } : {}),
    };
  };
  if (desired === 'RUNNING') {
    if (actual === 'STOPPED' || actual === 'FAILED' || actual === 'STOPPING') {
      set('STARTING');
      return true;
    }
    if (actual === 'RUNNING' && r.changedSpec) {
      r.changedSpec = false;
      set('UPDATING');
      return true;
    }
    if (actual === 'STARTING' || actual === 'UPDATING') {
      set('RUNNING');
      // session-mode deployments waiting for this cluster go on
      for (const rec of ns.deployments.values())
        if (rec.deployment.spec.sessionClusterName === meta(r).name && rec.deployment.spec.state === 'RUNNING')
          schedule(s, rec);
    }
    return false;
  }
  r.changedSpec = false;
  if (actual === 'STOPPED') return false;
  if (actual === 'STOPPING' || actual === 'FAILED') {
    set('STOPPED');
    return false;
  }
  set('STOPPING');
  return true;
}

/** The saved form of a namespace's clusters, and their restore (phases resume). */
export const snapshotClusters = (ns: Namespace): Json[] => [...clustersOf(ns).values()].map((r) => r.cluster);

export function restoreClusters(s: PlatformState, ns: Namespace, saved: unknown): void {
  for (const c of Array.isArray(saved) ? (saved as Json[]) : []) {
    const r: SessionClusterRecord = { cluster: c };
    clustersOf(ns).set(String((c.metadata as Json).name), r);
    scheduleCluster(s, r);
  }
}
