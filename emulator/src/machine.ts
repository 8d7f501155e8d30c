/**
 * The deployment state machine: each phase (start a job, the job starts, take a savepoint, terminate, upgrade)
 * runs one transition delay after the previous one, on the store's scheduler.
 */
import { randomUUID } from 'node:crypto';
import type { VvpDeployment, VvpJob } from '../../core/src/model/deployment';
import { finishSavepoint, newSavepoint } from './activity';
import { copy } from './json';
import { SPEC_VERSION, TRANSITIONING } from './model';
import { clusterRunning } from './sessionclusters';
import {
  activeJob,
  deploymentEvent as event,
  now,
  type DeploymentRecord,
  type Namespace,
  type PlatformState,
} from './state';

type State = NonNullable<VvpDeployment['status']>['state'];

/** Schedules the next phase of a deployment (replacing a scheduled one). */
export function schedule(s: PlatformState, rec: DeploymentRecord): void {
  if (s.stopped) return;
  rec.cancel?.();
  rec.cancel = s.scheduler.after(s.delay, () => {
    rec.cancel = undefined;
    if (s.stopped) return;
    const ns = s.namespaces.get(rec.deployment.metadata.namespace);
    if (ns?.deployments.get(rec.deployment.metadata.name) !== rec) return;
    if (step(s, ns, rec)) schedule(s, rec);
    s.changed();
  });
}

/** The template a job runs, to tell whether the deployment's template changed since. */
export const templateHash = (d: VvpDeployment): string => JSON.stringify(d.spec.template ?? {});

/** Ends a job. */
export function terminateJob(s: PlatformState, job: VvpJob, state: 'TERMINATED' | 'FAILED' | 'FINISHED'): void {
  job.status = { ...job.status, state };
  job.metadata.terminatedAt = now(s);
  job.metadata.modifiedAt = now(s);
}

function setStatus(s: PlatformState, ns: Namespace, d: VvpDeployment, state: State, job?: VvpJob): void {
  const previous = d.status?.state;
  d.status = {
    state,
    ...(job && state === 'RUNNING'
      ? { running: { jobId: job.metadata.id, transitionTime: now(s), conditions: [] } }
      : {}),
  };
  const annotations = (d.metadata.annotations ??= {});
  if (state === 'TRANSITIONING') {
    if (annotations[TRANSITIONING] !== 'true') annotations[`${TRANSITIONING}.since`] = now(s);
    annotations[TRANSITIONING] = 'true';
  } else {
    annotations[TRANSITIONING] = 'false';
    delete annotations[`${TRANSITIONING}.since`];
    if (previous === 'TRANSITIONING') event(s, ns, d, 'STATE_TRANSITION_IS_COMPLETED', `Transitioned to ${state}`);
  }
}

function fail(d: VvpDeployment): false {
  d.status = { state: 'FAILED' };
  (d.metadata.annotations ??= {})[TRANSITIONING] = 'false';
  return false;
}

/** One phase of the state machine; returns true when another phase is due. */
export function step(s: PlatformState, ns: Namespace, rec: DeploymentRecord): boolean {
  const d = rec.deployment;
  const desired = d.spec.state;
  const job = activeJob(ns, d);
  const actual = d.status?.state;

  // A pending stop (cancel, suspend, upgrade) runs to its end first.
  if (job && rec.stop) return stopPhase(s, ns, rec, job);

  if (desired === 'RUNNING') {
    if ((actual === 'FAILED' || actual === 'FINISHED') && !rec.retry && !job) return false;
    if (!job) return startJob(s, ns, rec);
    if (job.status?.state === 'STARTING') return jobStarting(s, ns, rec, job);
    if (job.status?.state === 'STARTED') {
      if (job.metadata.annotations?.['emulator.template'] !== templateHash(d)) return upgrade(s, ns, rec, job);
      if (actual !== 'RUNNING') setStatus(s, ns, d, 'RUNNING', job);
      if (s.faults.applies('finishJobs', d.metadata.name)) {
        terminateJob(s, job, 'FINISHED');
        event(s, ns, d, 'JOB_SUCCESSFULLY_FINISHED', `Job ${job.metadata.id} finished`, job.metadata.id);
        event(s, ns, d, 'TRANSITIONED_TO_FINISHED_STATE', 'Deployment transitioned to FINISHED', job.metadata.id);
        d.status = { state: 'FINISHED' };
      }
    }
    return false;
  }

  // desired CANCELLED or SUSPENDED
  if (job) {
    event(s, ns, d, 'STATE_TRANSITION_IS_NEEDED', `Transition from ${actual} to ${desired} is needed`);
    rec.stop = { reason: desired === 'SUSPENDED' ? 'SUSPEND' : 'CANCEL' };
    rec.savepointAttempts = 0;
    setStatus(s, ns, d, 'TRANSITIONING');
    return true;
  }
  if (actual !== desired) setStatus(s, ns, d, desired as 'CANCELLED' | 'SUSPENDED');
  return false;
}

/**
 * Where a new job restores from (M19), per spec.restoreStrategy: LATEST_STATE the latest COMPLETED savepoint of
 * any origin (retained checkpoints included), LATEST_SAVEPOINT the same without RETAINED_CHECKPOINT, NONE nothing.
 */
export function restoreFrom(ns: Namespace, d: VvpDeployment): Record<string, unknown> {
  const strategy = d.spec.restoreStrategy ?? {};
  const kind = strategy.kind ?? 'LATEST_STATE';
  if (kind === 'NONE') return {};
  let latest: string | undefined;
  for (const sp of ns.savepoints.values())
    if (
      sp.metadata.deploymentId === d.metadata.id &&
      sp.status?.state === 'COMPLETED' &&
      (kind === 'LATEST_STATE' || sp.metadata.origin !== 'RETAINED_CHECKPOINT')
    )
      latest = sp.spec.savepointLocation ?? latest;
  return latest === undefined
    ? {}
    : { savepointLocation: latest, allowNonRestoredState: strategy.allowNonRestoredState ?? false };
}

function startJob(s: PlatformState, ns: Namespace, rec: DeploymentRecord): boolean {
  const d = rec.deployment;
  if (d.status?.state !== 'TRANSITIONING')
    event(s, ns, d, 'STATE_TRANSITION_IS_NEEDED', `Transition from ${d.status?.state} to RUNNING is needed`);
  rec.attempts++;
  rec.retry = false;
  const id = newJob(s, ns, d).metadata.id;
  event(s, ns, d, 'CREATING_A_NEW_JOB', `Creating job ${id}`, id);
  event(s, ns, d, 'AWAITING_A_JOB_TO_START', `Waiting for job ${id} to start`, id);
  setStatus(s, ns, d, 'TRANSITIONING');
  return true;
}

/** A new job (STARTING) of the deployment's template, restored per its restoreStrategy; `spec` overrides. */
export function newJob(s: PlatformState, ns: Namespace, d: VvpDeployment, spec: Record<string, unknown> = {}): VvpJob {
  const id = randomUUID();
  const at = now(s);
  const job: VvpJob = {
    metadata: {
      id,
      namespace: ns.name,
      deploymentId: d.metadata.id,
      deploymentName: d.metadata.name,
      ...(d.spec.sessionClusterName ? { sessionClusterName: d.spec.sessionClusterName } : {}),
      createdAt: at,
      modifiedAt: at,
      resourceVersion: 1,
      annotations: {
        [SPEC_VERSION]: d.metadata.annotations?.[SPEC_VERSION] ?? '1',
        'emulator.template': templateHash(d),
      },
    },
    spec: copy({
      ...(d.spec.template?.spec ?? {}),
      deploymentTarget: { kubernetes: { namespace: ns.name } },
      ...restoreFrom(ns, d),
      ...spec,
    }) as Record<string, unknown>,
    status: { state: 'STARTING' },
  };
  ns.jobs.set(id, job);
  return job;
}

function jobStarting(s: PlatformState, ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
  const d = rec.deployment;
  // a session-mode job waits (STARTING) until its cluster is RUNNING; the cluster schedules the deployment then
  if (d.spec.sessionClusterName && !clusterRunning(ns, d.spec.sessionClusterName)) return false;
  if (s.faults.applies('failJobs', d.metadata.name)) {
    terminateJob(s, job, 'FAILED');
    job.status = {
      ...job.status,
      failure: { message: 'Job failed to start (injected fault)', reason: 'JOB_CREATION_FAILED' },
    };
    const id = job.metadata.id;
    event(s, ns, d, 'FAILED_CREATING_A_NEW_JOB', `Job ${id} failed to start (attempt ${rec.attempts})`, id);
    if (rec.attempts >= (d.spec.maxJobCreationAttempts ?? 4)) {
      event(s, ns, d, 'TOO_MANY_FAILED_JOB_CREATION_ATTEMPTS', `Job creation failed ${rec.attempts} times`);
      event(s, ns, d, 'TRANSITIONING_TO_FAILED_STATE_BECAUSE_JOB_NOT_STARTED', 'Transitioning to FAILED');
      return fail(d);
    }
    return true;
  }
  job.status = { state: 'STARTED', started: { flinkJobId: job.metadata.id.replace(/-/g, ''), startedAt: now(s) } };
  job.metadata.modifiedAt = now(s);
  rec.attempts = 0;
  event(s, ns, d, 'JOB_SUCCESSFULLY_STARTED', `Job ${job.metadata.id} started`, job.metadata.id);
  setStatus(s, ns, d, 'RUNNING', job);
  // a finite job or a template change since the job was created needs another phase
  return (
    s.faults.applies('finishJobs', d.metadata.name) ||
    job.metadata.annotations?.['emulator.template'] !== templateHash(d)
  );
}

function upgrade(s: PlatformState, ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
  const d = rec.deployment;
  const kind = d.spec.upgradeStrategy?.kind ?? 'STATEFUL';
  if (kind === 'NONE') {
    if (d.status?.state !== 'RUNNING') setStatus(s, ns, d, 'RUNNING', job);
    return false;
  }
  event(s, ns, d, 'USING_AN_UPGRADE_STRATEGY', `Using upgrade strategy ${kind}`, job.metadata.id);
  event(s, ns, d, 'FOUND_A_JOB_TO_TERMINATE', `Job ${job.metadata.id} runs an outdated template`, job.metadata.id);
  rec.stop = { reason: 'UPGRADE' };
  rec.savepointAttempts = 0;
  setStatus(s, ns, d, 'TRANSITIONING');
  return true;
}

/** Runs a stop: STATEFUL upgrades and suspensions take a savepoint first; then the job terminates. */
function stopPhase(s: PlatformState, ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
  const d = rec.deployment;
  const stop = rec.stop!;
  const jobId = job.metadata.id;
  const needsSavepoint =
    stop.reason === 'SUSPEND' ||
    (stop.reason === 'UPGRADE' && (d.spec.upgradeStrategy?.kind ?? 'STATEFUL') === 'STATEFUL');
  if (needsSavepoint && job.status?.state === 'STARTED') {
    if (!stop.savepointId) {
      rec.savepointAttempts++;
      const sp = newSavepoint(s, ns, d, jobId, stop.reason === 'SUSPEND' ? 'SUSPEND' : 'SUSPEND_AND_UPGRADE');
      stop.savepointId = sp.metadata.id;
      event(s, ns, d, 'CREATING_A_SAVEPOINT_BEFORE_SUSPENSION', `Creating savepoint ${sp.metadata.id}`, jobId);
      event(s, ns, d, 'AWAITING_SAVEPOINT_COMPLETION_TO_TRANSITION_TO_SUSPENDED', 'Waiting for the savepoint', jobId);
      return true;
    }
    const sp = ns.savepoints.get(stop.savepointId)!;
    if (!finishSavepoint(s, ns, d, sp)) {
      if (rec.savepointAttempts >= (d.spec.maxSavepointCreationAttempts ?? 4)) {
        event(
          s,
          ns,
          d,
          'TOO_MANY_FAILED_SUSPENSION_ATTEMPTS',
          `Savepoint failed ${rec.savepointAttempts} times`,
          jobId,
        );
        event(
          s,
          ns,
          d,
          'TRANSITIONING_TO_FAILED_STATE_BECAUSE_SAVEPOINT_FAILED_IN_FLINK',
          'Transitioning to FAILED',
          jobId,
        );
        terminateJob(s, job, 'FAILED');
        rec.stop = undefined;
        return fail(d);
      }
      stop.savepointId = undefined;
      return true;
    }
  }
  event(s, ns, d, 'AWAITING_A_JOB_TO_TERMINATE', `Terminating job ${jobId}`, jobId);
  terminateJob(s, job, 'TERMINATED');
  rec.stop = undefined;
  if (stop.reason === 'UPGRADE') return true; // the next phase starts the new job
  if (d.spec.state === 'RUNNING') return true;
  setStatus(s, ns, d, d.spec.state as 'CANCELLED' | 'SUSPENDED');
  return false;
}
