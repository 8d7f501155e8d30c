/** Deployments: list, get, POST, PUT (upsert), PATCH (merge) and DELETE, as VVP answers them. */
import { randomUUID } from 'node:crypto';
import type { VvpDeployment } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import { copy, getOwn, mergePatch, show, type Json } from './json';
import { schedule, terminateJob } from './machine';
import { SPEC_VERSION } from './model';
import { checkWrite, noteManager } from './protection';
import { checkSessionCluster } from './sessionclusters';
import { activeJob, now, namespaceOf, type DeploymentRecord, type PlatformState } from './state';
import { withDefaults } from './targets';
import { checkFields, objectOrAbsent, validateDeployment } from './validate';

/** A body part with nulls removed (`"sessionClusterName": null` means absent). */
const clean = (v: Json | undefined): Json => mergePatch({}, v ?? {}) as Json;

/** A deployment by id (first) or name, or 404. */
export function record(s: PlatformState, namespace: string, nameOrId: string): DeploymentRecord {
  const ns = namespaceOf(s, namespace);
  for (const r of ns.deployments.values()) if (r.deployment.metadata.id === nameOrId) return r;
  const rec = ns.deployments.get(nameOrId);
  if (!rec) throw new HttpError(404, `Deployment '${nameOrId}' does not exist in namespace '${namespace}'`);
  return rec;
}

/** Parses a `k=v,k2=v2` label selector. */
function selector(labelSelector: string | undefined): (readonly [string, string])[] {
  return (labelSelector ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      if (i < 1) throw new HttpError(400, `Invalid labelSelector ${show(labelSelector)}: use k=v,k2=v2`);
      return [p.slice(0, i), p.slice(i + 1).replace(/^=/, '')] as const;
    });
}

/** Lists deployments (live objects), optionally filtered by a `k=v,k2=v2` label selector (own labels only). */
export function listDeployments(s: PlatformState, namespace: string, labelSelector?: string): VvpDeployment[] {
  const pairs = selector(labelSelector);
  return [...namespaceOf(s, namespace).deployments.values()]
    .map((r) => r.deployment)
    .filter((d) => pairs.every(([k, v]) => getOwn(d.metadata.labels, k) === v));
}

/**
 * Creates a deployment (POST): 409 when the name exists. `caller` names who writes over HTTP (write protection,
 * protection.ts); in-process calls pass none.
 */
export function createDeployment(s: PlatformState, namespace: string, body: Json, caller?: string): VvpDeployment {
  const meta = clean(objectOrAbsent(body, 'metadata'));
  checkFields(meta, s.model.deploymentMetadata, 'metadata', s.model);
  if (typeof meta.name === 'string' && namespaceOf(s, namespace).deployments.has(meta.name)) {
    throw new HttpError(409, `Deployment '${meta.name}' already exists in namespace '${namespace}'`);
  }
  return insert(s, namespace, meta, objectOrAbsent(body, 'spec'), caller);
}

/** Creates or replaces a deployment (PUT): omitted fields are reset to defaults; description is never changed. */
export function putDeployment(
  s: PlatformState,
  namespace: string,
  name: string,
  body: Json,
  caller?: string,
): { created: boolean; deployment: VvpDeployment } {
  const ns = namespaceOf(s, namespace);
  const meta = clean(objectOrAbsent(body, 'metadata'));
  checkFields(meta, s.model.deploymentMetadata, 'metadata', s.model);
  if (meta.name !== undefined && meta.name !== name)
    throw new HttpError(400, `metadata.name ${show(meta.name)} does not match the path name '${name}'`);
  const spec = objectOrAbsent(body, 'spec');
  const existing = ns.deployments.get(name);
  if (!existing) return { created: true, deployment: insert(s, namespace, { ...meta, name }, spec, caller) };
  checkWrite(s, existing, caller, 'replace');
  checkResourceVersion(existing.deployment, meta);
  checkNamespace(namespace, meta);
  const old = existing.deployment;
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  annotations[SPEC_VERSION] = old.metadata.annotations?.[SPEC_VERSION] ?? '1';
  const next: VvpDeployment = {
    kind: 'Deployment',
    apiVersion: 'v1',
    metadata: {
      id: old.metadata.id,
      name,
      namespace,
      ...(meta.displayName !== undefined ? { displayName: meta.displayName as string } : {}),
      ...(old.metadata.description !== undefined ? { description: old.metadata.description } : {}),
      labels: (meta.labels as Record<string, string> | undefined) ?? {},
      annotations,
      createdAt: old.metadata.createdAt,
      modifiedAt: old.metadata.modifiedAt,
      resourceVersion: old.metadata.resourceVersion,
    },
    spec: withDefaults(s, namespace, spec) as VvpDeployment['spec'],
    status: old.status,
  };
  validateDeployment(s.model, next, (t) => ns.targets.has(t));
  return { created: false, deployment: commit(s, existing, next, caller) };
}

/** Partially updates a deployment (PATCH): objects merge, arrays replace, null removes. */
export function patchDeployment(
  s: PlatformState,
  namespace: string,
  nameOrId: string,
  body: Json,
  caller?: string,
): VvpDeployment {
  const rec = record(s, namespace, nameOrId);
  checkWrite(s, rec, caller, 'patch');
  const old = rec.deployment;
  const meta = objectOrAbsent(body, 'metadata', 'would remove the metadata') ?? {};
  objectOrAbsent(body, 'spec', 'would remove the spec');
  if (meta.name !== undefined && meta.name !== old.metadata.name)
    throw new HttpError(400, `metadata.name is immutable (is '${old.metadata.name}', got ${show(meta.name)})`);
  if (meta.id !== undefined && meta.id !== old.metadata.id)
    throw new HttpError(400, `metadata.id is immutable (is '${old.metadata.id}', got ${show(meta.id)})`);
  checkResourceVersion(old, meta);
  checkNamespace(namespace, meta);
  const { status: _status, ...rest } = body;
  const merged = mergePatch({ metadata: old.metadata, spec: old.spec }, rest) as Pick<
    VvpDeployment,
    'metadata' | 'spec'
  >;
  const next: VvpDeployment = {
    ...copy(old),
    metadata: { ...merged.metadata, id: old.metadata.id, createdAt: old.metadata.createdAt, namespace },
    spec: merged.spec,
  };
  validateDeployment(s.model, next, (t) => namespaceOf(s, namespace).targets.has(t));
  return commit(s, rec, next, caller);
}

/** Deletes a deployment; only when its desired state is CANCELLED or SUSPENDED. */
export function deleteDeployment(
  s: PlatformState,
  namespace: string,
  nameOrId: string,
  caller?: string,
): VvpDeployment {
  const ns = namespaceOf(s, namespace);
  const rec = record(s, namespace, nameOrId);
  checkWrite(s, rec, caller, 'delete');
  const d = rec.deployment;
  if (d.spec.state !== 'CANCELLED' && d.spec.state !== 'SUSPENDED') {
    throw new HttpError(
      409,
      `Deployment '${d.metadata.name}' can only be deleted in desired state CANCELLED or SUSPENDED (desired state is ${d.spec.state}); set spec.state to CANCELLED first`,
    );
  }
  rec.cancel?.();
  const job = activeJob(ns, d);
  if (job) terminateJob(s, job, 'TERMINATED');
  ns.deployments.delete(d.metadata.name);
  s.changed();
  return copy(d);
}

function checkResourceVersion(current: VvpDeployment, meta: Json): void {
  if (meta.resourceVersion !== undefined && Number(meta.resourceVersion) !== current.metadata.resourceVersion) {
    throw new HttpError(
      409,
      `Deployment '${current.metadata.name}' was modified: resourceVersion ${show(meta.resourceVersion)} is stale (current ${current.metadata.resourceVersion})`,
    );
  }
}

function checkNamespace(namespace: string, meta: Json): void {
  if (meta.namespace !== undefined && meta.namespace !== namespace) {
    throw new HttpError(
      400,
      `metadata.namespace ${show(meta.namespace)} does not match the path namespace '${namespace}'`,
    );
  }
}

function insert(
  s: PlatformState,
  namespace: string,
  meta: Json,
  spec: Json | undefined,
  caller: string | undefined,
): VvpDeployment {
  checkNamespace(namespace, meta);
  const ns = namespaceOf(s, namespace);
  checkFields(clean(spec), s.model.deploymentSpec, 'spec', s.model);
  const at = now(s);
  const deployment: VvpDeployment = {
    kind: 'Deployment',
    apiVersion: 'v1',
    metadata: {
      ...(copy(meta) as Partial<VvpDeployment['metadata']>),
      id: randomUUID(),
      name: meta.name as string,
      namespace,
      labels: (meta.labels as Record<string, string> | undefined) ?? {},
      annotations: { ...((meta.annotations as Record<string, string> | undefined) ?? {}), [SPEC_VERSION]: '1' },
      createdAt: at,
      modifiedAt: at,
      resourceVersion: 1,
    },
    spec: withDefaults(s, namespace, spec) as VvpDeployment['spec'],
    status: { state: 'CANCELLED' },
  };
  validateDeployment(s.model, deployment, (t) => ns.targets.has(t));
  checkSessionCluster(s, namespace, deployment);
  const rec: DeploymentRecord = { deployment, attempts: 0, savepointAttempts: 0 };
  noteManager(rec, undefined, caller);
  if (deployment.spec.state === 'SUSPENDED') deployment.status = { state: 'SUSPENDED' };
  ns.deployments.set(deployment.metadata.name, rec);
  schedule(s, rec);
  s.changed();
  return copy(deployment);
}

/** Stores a write: bumps resourceVersion, modifiedAt and, on spec changes, the spec version. */
function commit(s: PlatformState, rec: DeploymentRecord, next: VvpDeployment, caller?: string): VvpDeployment {
  checkSessionCluster(s, next.metadata.namespace, next);
  const old = rec.deployment;
  const specChanged = JSON.stringify(old.spec) !== JSON.stringify(next.spec);
  const version = Number(old.metadata.annotations?.[SPEC_VERSION] ?? '1');
  next.metadata.annotations = {
    ...next.metadata.annotations,
    [SPEC_VERSION]: String(specChanged ? version + 1 : version),
  };
  next.metadata.resourceVersion = (old.metadata.resourceVersion ?? 0) + 1;
  next.metadata.modifiedAt = now(s);
  rec.deployment = next;
  noteManager(rec, old, caller);
  if (specChanged) {
    // a spec change is a new attempt: FAILED and FINISHED are terminal only until the spec changes
    rec.attempts = 0;
    rec.savepointAttempts = 0;
    rec.retry = true;
    schedule(s, rec);
  }
  s.changed();
  return copy(next);
}
