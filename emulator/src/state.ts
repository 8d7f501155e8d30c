/** The platform's data: namespaces with their objects, API tokens, and what every part of the store shares. */
import { randomUUID } from 'node:crypto';
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import type { Faults } from './faults';
import type { Json } from './json';
import type { Model } from './model';
import type { Profile } from './profiles';
import { pushBounded } from './ring';
import type { Cancel, Scheduler } from './scheduler';

/** A token's role in a namespace. */
export type Role = 'viewer' | 'editor' | 'owner';

export interface ApiToken {
  name: string;
  role: Role;
  secret: string;
  createTime: string;
  namespace: string;
}

export interface Namespace {
  name: string;
  createTime: string;
  lifecyclePhase: string;
  roleBindings: unknown[];
  defaults: Json;
  targets: Map<string, Json>;
  deployments: Map<string, DeploymentRecord>;
  jobs: Map<string, VvpJob>;
  savepoints: Map<string, VvpSavepoint>;
  events: VvpEvent[];
  // Platform resources of ADR 0010 (created on first use, so a namespace literal elsewhere needs no change)
  /** Session clusters by name. */
  sessionClusters?: Map<string, SessionClusterRecord>;
  /** Secret values by name (the value is write-only: never in an answer). */
  secretValues?: Map<string, Json>;
  /** Autopilot policies by deployment id. */
  autopilot?: Map<string, AutopilotRecord>;
}

/** A session cluster and its scheduled next phase. */
export interface SessionClusterRecord {
  cluster: Json;
  /** A spec change while RUNNING: the next phase is UPDATING. */
  changedSpec?: boolean;
  cancel?: Cancel;
}

/** An Autopilot policy of a deployment and the bookkeeping of its scaling. */
export interface AutopilotRecord {
  mode: string;
  /** The next scaling step adds (+1) or removes (-1) one slot of parallelism. */
  direction: 1 | -1;
  /** The phase of a running vvp-3 scaling operation (0 = none). */
  phase: number;
  /** The parallelism a scaling operation moves to. */
  target?: number;
  /** The next tick of the interval. */
  cancel?: Cancel;
  /** The next phase of a running scaling operation. */
  scaling?: Cancel;
}

/** A deployment and the state-machine bookkeeping beside it. */
export interface DeploymentRecord {
  deployment: VvpDeployment;
  /** Job creation attempts of the current start. */
  attempts: number;
  /** Savepoint attempts of the current suspension or upgrade. */
  savepointAttempts: number;
  /** A pending stop of the running job. */
  stop?: { reason: 'CANCEL' | 'SUSPEND' | 'UPGRADE'; savepointId?: string };
  /** Set by a spec change: FAILED and FINISHED are terminal only until the spec changes. */
  retry?: boolean;
  /** Cancels the scheduled next phase. */
  cancel?: Cancel;
  /** The API caller whose write made the deployment operator-managed (write protection, protection.ts). */
  manager?: string;
}

/** Everything the parts of the store share. */
export interface PlatformState {
  namespaces: Map<string, Namespace>;
  tokens: Map<string, ApiToken>;
  faults: Faults;
  scheduler: Scheduler;
  /** The emulated platform version (profiles.ts). */
  profile: Profile;
  /** The profile's model with the unknown-field policy in force. */
  model: Model;
  /** The spec of the global deployment defaults. */
  globalDefaults: Json;
  /** The deployment target every namespace gets, if any (`--default-target`). */
  defaultTarget?: string;
  /** Delay of each state-machine phase in ms. */
  delay: number;
  /** How often an ACTIVE Autopilot acts, in ms (ADR 0010). */
  autopilotIntervalMs?: number;
  /** Most events kept per namespace (oldest dropped). */
  maxEvents: number;
  /** Events dropped by the bound, per namespace. */
  eventsDropped: number;
  stopped: boolean;
  /** Called after every change (persistence). */
  changed(): void;
}

/** ISO-8601 with microseconds, as VVP writes timestamps. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

/** The current time as a VVP timestamp. */
export const now = (s: PlatformState): string => timestamp(s.scheduler.now());

/** A namespace, or 404. */
export function namespaceOf(s: PlatformState, name: string): Namespace {
  const ns = s.namespaces.get(name);
  if (!ns) throw new HttpError(404, `Namespace '${name}' does not exist`);
  return ns;
}

/** The job of a deployment that is starting, running or terminating. */
export function activeJob(ns: Namespace, d: VvpDeployment): VvpJob | undefined {
  for (const j of ns.jobs.values())
    if (
      j.metadata.deploymentId === d.metadata.id &&
      ['STARTING', 'STARTED', 'TERMINATING'].includes(j.status?.state ?? '')
    )
      return j;
  return undefined;
}

/** Appends an event to the namespace's bounded event list. */
export function addEvent(s: PlatformState, ns: Namespace, e: VvpEvent): void {
  s.eventsDropped += pushBounded(ns.events, e, s.maxEvents);
}

/** Records a platform event of a deployment (VVP event names). */
export function deploymentEvent(
  s: PlatformState,
  ns: Namespace,
  d: VvpDeployment,
  name: string,
  message: string,
  jobId?: string,
): void {
  addEvent(s, ns, {
    metadata: {
      id: randomUUID(),
      namespace: ns.name,
      createdAt: now(s),
      deploymentId: d.metadata.id,
      ...(jobId ? { jobId } : {}),
      name,
      resourceVersion: 1,
    },
    spec: { message },
  });
}

/** Metadata of a new named namespace object (target, session cluster, secret value): a fresh id, version 1. */
export function newMetadata(s: PlatformState, namespace: string, name: unknown, meta: Json): Json {
  const at = now(s);
  return {
    id: randomUUID(),
    name,
    namespace,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    createdAt: at,
    modifiedAt: at,
    resourceVersion: 1,
  };
}
