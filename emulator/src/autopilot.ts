/**
 * Autopilot (`/autopilot/v1alpha1/namespaces/{ns}/deployments/{deploymentId}/autopilotpolicy[:status]`, ADR 0010):
 * a policy per deployment and, while it is ACTIVE and the deployment RUNNING, one scaling step every
 * `autopilotIntervalMs`. vvp-2.4 and lenient PATCH the deployment's parallelism (+1, then -1, alternating), so the
 * stored spec drifts from what the client sent; vvp-3 scales at runtime: spec and status CANCELLED, then status
 * STARTING, then RUNNING with a new runtime parallelism, leaving the template alone.
 */
import type { VvpDeployment } from '../../core/src/model/deployment';
import { record, patchDeployment } from './deployments';
import { HttpError } from './errors';
import { show, type Json } from './json';
import { newJob, terminateJob } from './machine';
import { AUTOPILOT_MODES, AUTOPILOT_POLICY } from './model';
import {
  activeJob,
  namespaceOf,
  now,
  type AutopilotRecord,
  type DeploymentRecord,
  type Namespace,
  type PlatformState,
} from './state';
import { checkFields } from './validate';

/** The default of `autopilotIntervalMs` / `--autopilot-interval-ms`. */
export const DEFAULT_AUTOPILOT_INTERVAL_MS = 10_000;
const ACTIVE = 'AUTOPILOT_MODE_ACTIVE';
const policies = (ns: Namespace): Map<string, AutopilotRecord> => (ns.autopilot ??= new Map());
const interval = (s: PlatformState): number => s.autopilotIntervalMs ?? DEFAULT_AUTOPILOT_INTERVAL_MS;

function target(s: PlatformState, namespace: string, deploymentId: string): { ns: Namespace; rec: DeploymentRecord } {
  return { ns: namespaceOf(s, namespace), rec: record(s, namespace, deploymentId) };
}

/** GET policy: `{mode}`; DISABLED when none was set. */
export function getPolicy(s: PlatformState, namespace: string, deploymentId: string): Json {
  const { ns, rec } = target(s, namespace, deploymentId);
  return { mode: policies(ns).get(rec.deployment.metadata.id)?.mode ?? AUTOPILOT_MODES[0] };
}

/** PUT policy `{mode}`: ACTIVE starts the interval, anything else stops it (a scaling in progress finishes). */
export function putPolicy(s: PlatformState, namespace: string, deploymentId: string, body: Json): Json {
  const { ns, rec } = target(s, namespace, deploymentId);
  checkFields(body, AUTOPILOT_POLICY, '', s.model.unknownFields);
  if (body.mode === undefined)
    throw new HttpError(400, `Invalid mode ${show(body.mode)}: it is required; use ${AUTOPILOT_MODES.join(', ')}`);
  const id = rec.deployment.metadata.id;
  const p = policies(ns).get(id) ?? { mode: AUTOPILOT_MODES[0], direction: 1, phase: 0 };
  p.mode = String(body.mode);
  policies(ns).set(id, p);
  p.cancel?.();
  p.cancel = undefined;
  if (p.mode === ACTIVE) tick(s, ns, id, p);
  s.changed();
  return { mode: p.mode };
}

/** GET `:status`: mode, whether a scaling runs, and the running job's parallelism (absent without one). */
export function policyStatus(s: PlatformState, namespace: string, deploymentId: string): Json {
  const { ns, rec } = target(s, namespace, deploymentId);
  const p = policies(ns).get(rec.deployment.metadata.id);
  const job = activeJob(ns, rec.deployment);
  const running = job?.status?.state === 'STARTED' ? job : undefined;
  const state = rec.deployment.status?.state ?? '';
  // a vvp-2.4 PATCH is done once the running job has the new parallelism (or the deployment stopped or failed)
  if (
    p?.phase === -1 &&
    ((state === 'RUNNING' && running?.spec.parallelism === p.target) ||
      (state !== 'TRANSITIONING' && state !== 'RUNNING'))
  )
    p.phase = 0;
  return {
    mode: p?.mode ?? AUTOPILOT_MODES[0],
    scalingInProgress: (p?.phase ?? 0) !== 0,
    ...(running ? { runtimeParallelism: Number(running.spec.parallelism ?? 1) } : {}),
  };
}

/** Schedules the next interval tick of an ACTIVE policy. */
function tick(s: PlatformState, ns: Namespace, id: string, p: AutopilotRecord): void {
  if (s.stopped) return;
  p.cancel = s.scheduler.after(interval(s), () => {
    p.cancel = undefined;
    if (s.stopped || s.namespaces.get(ns.name) !== ns || policies(ns).get(id) !== p || p.mode !== ACTIVE) return;
    const rec = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === id);
    if (!rec) {
      policies(ns).delete(id); // the deployment is gone, and its policy with it
      s.changed();
      return;
    }
    policyStatus(s, ns.name, id);
    try {
      if (p.phase === 0 && rec.deployment.status?.state === 'RUNNING') scale(s, ns, rec, p);
    } catch {
      // a refused vvp-2.4 PATCH skips this interval (forceStep answers its error instead)
    }
    tick(s, ns, id, p);
  });
}

/** Admin `POST /__emulator/autopilot/step {namespace, deploymentId}`: one scaling step now (for tests). */
export function forceStep(s: PlatformState, body: Json): Json {
  checkFields(body, { fields: { namespace: 'string', deploymentId: 'string' } }, '', 'reject');
  if (typeof body.namespace !== 'string' || typeof body.deploymentId !== 'string')
    throw new HttpError(
      400,
      'namespace and deploymentId are required: send {"namespace": "default", "deploymentId": "<id>"}',
    );
  const { ns, rec } = target(s, body.namespace, body.deploymentId);
  const d = rec.deployment;
  const p = policies(ns).get(d.metadata.id);
  if (p?.mode !== ACTIVE)
    throw new HttpError(
      409,
      `Autopilot of deployment '${d.metadata.name}' is ${p?.mode ?? AUTOPILOT_MODES[0]}; PUT mode ${ACTIVE} first`,
    );
  policyStatus(s, ns.name, d.metadata.id);
  if (p.phase !== 0) throw new HttpError(409, `Autopilot of deployment '${d.metadata.name}' is already scaling`);
  if (d.status?.state !== 'RUNNING')
    throw new HttpError(
      409,
      `Deployment '${d.metadata.name}' is ${d.status?.state}; Autopilot scales RUNNING deployments only`,
    );
  scale(s, ns, rec, p);
  return policyStatus(s, ns.name, d.metadata.id);
}

/** One scaling step: the next parallelism, +1 and -1 alternating (never below 1). */
function scale(s: PlatformState, ns: Namespace, rec: DeploymentRecord, p: AutopilotRecord): void {
  const job = activeJob(ns, rec.deployment);
  const current = Number(job?.spec.parallelism ?? rec.deployment.spec.template?.spec?.parallelism ?? 1);
  p.target = current + p.direction >= 1 ? current + p.direction : current + 1;
  p.direction = p.direction === 1 ? -1 : 1;
  if (s.profile.autopilot === 'scaling-operation') {
    scalePhase(s, ns, rec, p, 1);
  } else {
    // VVP 2 applies the recommendation with the Deployment PATCH API: the stored spec changes, the job restarts
    p.phase = -1;
    try {
      patchDeployment(s, ns.name, rec.deployment.metadata.id, {
        spec: { template: { spec: { parallelism: p.target } } },
      });
    } catch (err) {
      p.phase = 0; // the platform refused the PATCH (e.g. the deployment no longer validates): no scaling
      throw err;
    }
  }
  s.changed();
}

/** The vvp-3 runtime scaling: 1 CANCELLED, 2 STARTING (a new job), 3 RUNNING; a client change aborts it. */
function scalePhase(s: PlatformState, ns: Namespace, rec: DeploymentRecord, p: AutopilotRecord, phase: number): void {
  const d = rec.deployment;
  const job = activeJob(ns, d);
  const bump = () => {
    d.metadata.modifiedAt = now(s);
    d.metadata.resourceVersion = (d.metadata.resourceVersion ?? 0) + 1;
  };
  const live = ns.deployments.get(d.metadata.name) === rec;
  if (!live || (phase > 1 && d.spec.state !== 'CANCELLED')) {
    p.phase = 0; // the deployment was deleted or changed by a client meanwhile: the client wins
    return;
  }
  if (phase === 1) {
    rec.cancel?.();
    if (job) terminateJob(s, job, 'TERMINATED');
    d.spec.state = 'CANCELLED';
    d.status = { state: 'CANCELLED' };
    bump();
  } else if (phase === 2) {
    newJob(s, ns, d, { parallelism: p.target });
    d.status = { state: 'STARTING' as NonNullable<VvpDeployment['status']>['state'] };
  } else {
    if (!job) {
      p.phase = 0;
      return;
    }
    job.status = { state: 'STARTED', started: { flinkJobId: job.metadata.id.replace(/-/g, ''), startedAt: now(s) } };
    job.metadata.modifiedAt = now(s);
    d.spec.state = 'RUNNING';
    d.status = { state: 'RUNNING', running: { jobId: job.metadata.id, transitionTime: now(s), conditions: [] } };
    bump();
    p.phase = 0;
    return;
  }
  p.phase = phase;
  p.scaling = s.stopped
    ? undefined
    : s.scheduler.after(s.delay, () => {
        p.scaling = undefined;
        if (s.stopped || s.namespaces.get(ns.name) !== ns) return;
        scalePhase(s, ns, rec, p, phase + 1);
        s.changed();
      });
}

/** The saved form of a namespace's policies, and their restore (ACTIVE intervals and scalings resume). */
export function snapshotPolicies(ns: Namespace): Json[] {
  return [...policies(ns).entries()].map(([deploymentId, p]) => ({
    deploymentId,
    mode: p.mode,
    direction: p.direction,
    phase: p.phase,
    ...(p.target !== undefined ? { target: p.target } : {}),
  }));
}

export function restorePolicies(s: PlatformState, ns: Namespace, saved: unknown): void {
  for (const j of Array.isArray(saved) ? (saved as Json[]) : []) {
    const id = String(j.deploymentId);
    const p: AutopilotRecord = {
      mode: String(j.mode),
      direction: j.direction === -1 ? -1 : 1,
      phase: Number(j.phase ?? 0),
      ...(typeof j.target === 'number' ? { target: j.target } : {}),
    };
    policies(ns).set(id, p);
    if (p.mode === ACTIVE) tick(s, ns, id, p);
    const rec = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === id);
    if (rec && p.phase > 0 && p.phase < 3) {
      rec.cancel?.(); // the scaling owns the deployment until it ends (call this after the machine resumed)
      scalePhase(s, ns, rec, p, p.phase + 1);
    }
  }
}
