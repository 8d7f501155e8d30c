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
  if (typeof spec.savepointLocation === 'string') {
    const sp = newSavepoint(s, ns, rec.deployment, undefined, 'COPIED', spec.savepointLocation);
    sp.status = { state: 'COMPLETED' };
    s.changed();
    return copy(sp);
  }
  const job = activeJob(ns, rec.deployment);
  if (!job || job.status?.state !== 'STARTED') {
    throw new HttpError(
      400,
      `Deployment '${rec.deployment.metadata.name}' has no running job; savepoints can only be taken while the job is RUNNING`,
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
