/**
 * Jobs, savepoints and events of a namespace: what the platform reports about its deployments. Reads return the live
 * objects (the HTTP layer serialises them at once; the Store copies them for in-process callers).
 */
import { randomUUID } from 'node:crypto';
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import { copy, show, type Json } from './json';
import { SPEC_VERSION } from './model';
import { activeJob, addEvent, deploymentEvent, now, namespaceOf, type Namespace, type PlatformState } from './state';
import { checkFields, objectOrAbsent } from './validate';

/** A filter of savepoints or events. */
export interface ActivityFilter {
  deploymentId?: string;
  jobId?: string;
}

/** Lists jobs, optionally of one deployment. */
export function listJobs(s: PlatformState, namespace: string, deploymentId?: string): VvpJob[] {
  return [...namespaceOf(s, namespace).jobs.values()].filter(
    (j) => !deploymentId || j.metadata.deploymentId === deploymentId,
  );
}

/** Gets a job. */
export function getJob(s: PlatformState, namespace: string, id: string): VvpJob {
  const j = namespaceOf(s, namespace).jobs.get(id);
  if (!j) throw new HttpError(404, `Job '${id}' does not exist in namespace '${namespace}'`);
  return j;
}

/** Lists savepoints, optionally of one deployment or job. */
export function listSavepoints(s: PlatformState, namespace: string, filter: ActivityFilter): VvpSavepoint[] {
  return [...namespaceOf(s, namespace).savepoints.values()].filter(
    (sp) =>
      (!filter.deploymentId || sp.metadata.deploymentId === filter.deploymentId) &&
      (!filter.jobId || sp.metadata.jobId === filter.jobId),
  );
}

/** Gets a savepoint. */
export function getSavepoint(s: PlatformState, namespace: string, id: string): VvpSavepoint {
  const sp = namespaceOf(s, namespace).savepoints.get(id);
  if (!sp) throw new HttpError(404, `Savepoint '${id}' does not exist in namespace '${namespace}'`);
  return sp;
}

/** Triggers a savepoint of the running job, or registers an external one when a location is given. */
export function postSavepoint(s: PlatformState, namespace: string, body: Json): VvpSavepoint {
  const ns = namespaceOf(s, namespace);
  const meta = objectOrAbsent(body, 'metadata') ?? {};
  const spec = objectOrAbsent(body, 'spec') ?? {};
  checkFields(body, s.model.savepoint, '', s.model.unknownFields);
  const deploymentId = meta.deploymentId;
  if (typeof deploymentId !== 'string')
    throw new HttpError(400, `Invalid metadata.deploymentId ${show(deploymentId)}: it is required`);
  const rec = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === deploymentId);
  if (!rec) throw new HttpError(404, `Deployment '${deploymentId}' does not exist in namespace '${namespace}'`);
  if (spec.savepointLocation !== undefined) return register(s, ns, rec.deployment, meta, spec);
  const job = activeJob(ns, rec.deployment);
  if (!job || job.status?.state !== 'STARTED') {
    throw new HttpError(
      400,
      `No active job for a deployment: deployment '${rec.deployment.metadata.name}' has no running job; trigger a savepoint while it is RUNNING, or register an existing one with spec.savepointLocation`,
    );
  }
  const sp = newSavepoint(s, ns, rec.deployment, job.metadata.id, 'USER_REQUEST');
  deploymentEvent(s, ns, rec.deployment, 'NEED_TO_TRIGGER_A_SAVEPOINT', 'Savepoint requested by user', job.metadata.id);
  deploymentEvent(
    s,
    ns,
    rec.deployment,
    'SUCCESSFULLY_TRIGGERED_A_SAVEPOINT',
    `Triggered savepoint ${sp.metadata.id}`,
    job.metadata.id,
  );
  if (!s.stopped)
    s.scheduler.after(s.delay, () => {
      if (s.stopped) return;
      finishSavepoint(s, ns, rec.deployment, sp);
    });
  s.changed();
  return copy(sp);
}

/** Registers an existing savepoint (origin COPIED, COMPLETED), as in VVP's manual registration (ADR 0010). */
function register(s: PlatformState, ns: Namespace, d: VvpDeployment, meta: Json, spec: Json): VvpSavepoint {
  const location = spec.savepointLocation;
  if (typeof location !== 'string' || location.trim() === '')
    throw new HttpError(
      400,
      `Invalid spec.savepointLocation ${show(location)}: use the savepoint's URI, e.g. s3://bucket/savepoints/sp-1`,
    );
  const annotations = (meta.annotations ?? {}) as Record<string, string>;
  const version = annotations[SPEC_VERSION];
  if (version !== undefined && !/^[1-9][0-9]{0,9}$/.test(version))
    throw new HttpError(
      400,
      `Invalid metadata.annotations.${SPEC_VERSION} ${show(version)}: must be a deployment spec version such as '1'`,
    );
  const sp = newSavepoint(s, ns, d, undefined, 'COPIED', location);
  sp.metadata.annotations = { ...sp.metadata.annotations, ...copy(annotations) };
  if (typeof spec.flinkSavepointId === 'string') sp.spec.flinkSavepointId = spec.flinkSavepointId;
  sp.status = { state: 'COMPLETED' };
  s.changed();
  return copy(sp);
}

/** A new savepoint in state STARTED. */
export function newSavepoint(
  s: PlatformState,
  ns: Namespace,
  d: VvpDeployment,
  jobId: string | undefined,
  origin: string,
  location?: string,
): VvpSavepoint {
  const id = randomUUID();
  const conf = d.spec.template?.spec?.flinkConfiguration ?? {};
  const dir =
    (Object.hasOwn(conf, 'state.savepoints.dir') && conf['state.savepoints.dir']) || 's3://vvp-emulator/savepoints';
  const at = now(s);
  const sp: VvpSavepoint = {
    kind: 'Savepoint',
    apiVersion: 'v1',
    metadata: {
      id,
      namespace: ns.name,
      deploymentId: d.metadata.id,
      ...(jobId ? { jobId } : {}),
      origin,
      createdAt: at,
      modifiedAt: at,
      resourceVersion: 1,
      annotations: { [SPEC_VERSION]: d.metadata.annotations?.[SPEC_VERSION] ?? '1' },
    },
    spec: { savepointLocation: location ?? `${dir}/namespaces/${ns.name}/deployments/${d.metadata.id}/${id}` },
    status: { state: 'STARTED' },
  };
  ns.savepoints.set(id, sp);
  return sp;
}

/** Ends a savepoint: COMPLETED, or FAILED under the failSavepoints fault. Returns true when completed. */
export function finishSavepoint(s: PlatformState, ns: Namespace, d: VvpDeployment, sp: VvpSavepoint): boolean {
  const failed = s.faults.applies('failSavepoints', d.metadata.name);
  sp.status = failed
    ? {
        state: 'FAILED',
        failure: {
          message: 'Savepoint failed in Flink (injected fault)',
          reason: 'SAVEPOINT_FAILED',
          failedAt: now(s),
        },
      }
    : { state: 'COMPLETED' };
  sp.metadata.modifiedAt = now(s);
  sp.metadata.resourceVersion = (sp.metadata.resourceVersion ?? 1) + 1;
  if (!failed)
    deploymentEvent(
      s,
      ns,
      d,
      'FOUND_A_COMPLETED_SAVEPOINT_READY_FOR_SUSPENSION',
      `Savepoint ${sp.metadata.id} completed`,
      sp.metadata.jobId,
    );
  s.changed();
  return !failed;
}

/** Lists events, optionally filtered. */
export function listEvents(s: PlatformState, namespace: string, filter: ActivityFilter): VvpEvent[] {
  return namespaceOf(s, namespace).events.filter(
    (e) =>
      (!filter.deploymentId || e.metadata.deploymentId === filter.deploymentId) &&
      (!filter.jobId || e.metadata.jobId === filter.jobId),
  );
}

/** Records an event posted by a client (e.g. `EXTERNAL` events of the operator). */
export function postEvent(s: PlatformState, namespace: string, body: Json): VvpEvent {
  const ns = namespaceOf(s, namespace);
  const meta = objectOrAbsent(body, 'metadata') ?? {};
  const spec = objectOrAbsent(body, 'spec') ?? {};
  checkFields(body, s.model.event, '', s.model.unknownFields);
  if (typeof spec.message !== 'string' || spec.message === '')
    throw new HttpError(400, `Invalid spec.message ${show(spec.message)}: it is required`);
  const e: VvpEvent = {
    metadata: {
      id: randomUUID(),
      namespace,
      createdAt: now(s),
      name: typeof meta.name === 'string' ? meta.name : 'EXTERNAL',
      ...(typeof meta.deploymentId === 'string' ? { deploymentId: meta.deploymentId } : {}),
      ...(typeof meta.jobId === 'string' ? { jobId: meta.jobId } : {}),
      resourceVersion: 1,
    },
    spec: { message: spec.message },
  };
  addEvent(s, ns, e);
  s.changed();
  return copy(e);
}

/** Whether the profile has `DELETE /savepoints/{id}` (VVP 2.4.3 does not; later 2.x and 3 do; ADR 0010). */
export function savepointDeleteAllowed(s: PlatformState): boolean {
  return s.profile.savepointDelete;
}

const DELETION = ['PENDING_DELETION', 'DELETING'];

/** Deletes a savepoint: PENDING_DELETION now, DELETING one delay later, gone one more delay later. */
export function deleteSavepoint(s: PlatformState, namespace: string, id: string): VvpSavepoint {
  if (!savepointDeleteAllowed(s))
    throw new HttpError(
      405,
      `DELETE /api/v1/namespaces/${namespace}/savepoints/{id} is not allowed in profile ${s.profile.name}: VVP 2.4 cannot delete savepoints`,
    );
  const ns = namespaceOf(s, namespace);
  const sp = getSavepoint(s, namespace, id);
  const state = sp.status?.state ?? '';
  if (state === 'STARTED')
    throw new HttpError(
      409,
      `Savepoint '${id}' is still being taken (STARTED); delete it once it is COMPLETED or FAILED`,
    );
  if (!DELETION.includes(state)) {
    setSavepointState(s, sp, 'PENDING_DELETION');
    continueDeletion(s, ns, sp);
    s.changed();
  }
  return copy(sp);
}

function setSavepointState(s: PlatformState, sp: VvpSavepoint, state: string): void {
  sp.status = { state };
  sp.metadata.modifiedAt = now(s);
  sp.metadata.resourceVersion = (sp.metadata.resourceVersion ?? 1) + 1;
}

/** Schedules the next deletion phase of a savepoint (also after a restore). */
export function continueDeletion(s: PlatformState, ns: Namespace, sp: VvpSavepoint): void {
  if (s.stopped) return;
  s.scheduler.after(s.delay, () => {
    if (s.stopped || s.namespaces.get(ns.name) !== ns || ns.savepoints.get(sp.metadata.id) !== sp) return;
    if (sp.status?.state === 'PENDING_DELETION') {
      setSavepointState(s, sp, 'DELETING');
      continueDeletion(s, ns, sp);
    } else if (sp.status?.state === 'DELETING') {
      const d = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === sp.metadata.deploymentId);
      if (s.faults.applies('failSavepoints', d?.deployment.metadata.name ?? '')) {
        setSavepointState(s, sp, 'FAILED_DELETION');
        sp.status = {
          ...sp.status,
          failure: {
            message: 'Deleting the savepoint failed (injected fault)',
            reason: 'SAVEPOINT_DELETION_FAILED',
            failedAt: now(s),
          },
        };
      } else ns.savepoints.delete(sp.metadata.id);
    }
    s.changed();
  });
}

/** Resumes the deletions of a restored namespace. */
export function resumeDeletions(s: PlatformState, ns: Namespace): void {
  for (const sp of ns.savepoints.values()) if (DELETION.includes(sp.status?.state ?? '')) continueDeletion(s, ns, sp);
}
