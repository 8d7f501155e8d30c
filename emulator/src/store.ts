/**
 * The emulated platform as one object: namespaces, tokens, targets, defaults, deployments, jobs, savepoints and
 * events. Each concept lives in its own module; this class holds the shared state and delegates to them.
 */
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import * as activity from './activity';
import * as deployments from './deployments';
import type { Faults } from './faults';
import { copy, type Json } from './json';
import { GLOBAL_DEFAULTS, type UnknownFields } from './model';
import * as namespaces from './namespaces';
import { restore, snapshot } from './persistence';
import { realScheduler, type Scheduler } from './scheduler';
import { DEFAULT_PROFILE, modelOf, notInProfile, PROFILES, type ProfileName } from './profiles';
import { checkWrite } from './protection';
import { namespaceOf, type PlatformState, type Role } from './state';
import * as targets from './targets';

export { HttpError } from './errors';
export { GLOBAL_DEFAULTS } from './model';
export { timestamp, type Role } from './state';

/** Options of the store. */
export interface StoreOptions {
  /** Delay of each state-machine phase in ms. @default 1000 */
  transitionDelayMs?: number;
  faults: Faults;
  /** When phases run and what time it is. @default timers and the wall clock */
  scheduler?: Scheduler;
  /** The clock alone (kept for compatibility; `scheduler` wins). */
  now?: () => Date;
  /** Most events kept per namespace; older ones are dropped. @default 10000 */
  maxEvents?: number;
  /** The emulated platform version (ADR 0009). @default 'vvp-3' */
  profile?: ProfileName;
  /** Fields outside the profile's model: dropped, rejected (400) or kept. @default the profile's (drop; lenient keep) */
  unknownFields?: UnknownFields;
  /** Name of the deployment target every namespace gets; without it namespaces have no target. */
  defaultTarget?: string;
  /** The spec of the global deployment defaults, already checked (globaldefaults.ts). @default GLOBAL_DEFAULTS */
  globalDefaults?: Json;
  /** Called after every change (persistence). */
  onChange?: () => void;
  /** How often an ACTIVE Autopilot acts, in ms. @default 10000 */
  autopilotIntervalMs?: number;
}

/** Default bound of the event list of each namespace. */
export const DEFAULT_MAX_EVENTS = 10_000;

/** The platform's state. */
export class Store {
  /** The shared state (for the emulator's own modules). */
  readonly state: PlatformState;

  constructor(options: StoreOptions) {
    const clock = options.now;
    const scheduler = options.scheduler ?? (clock ? { after: realScheduler.after, now: clock } : realScheduler);
    this.state = {
      namespaces: new Map(),
      tokens: new Map(),
      faults: options.faults,
      scheduler,
      profile: PROFILES[options.profile ?? DEFAULT_PROFILE],
      model: modelOf(PROFILES[options.profile ?? DEFAULT_PROFILE], options.unknownFields),
      globalDefaults: copy(options.globalDefaults ?? GLOBAL_DEFAULTS),
      ...(options.defaultTarget !== undefined ? { defaultTarget: options.defaultTarget } : {}),
      delay: options.transitionDelayMs ?? 1000,
      maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
      ...(options.autopilotIntervalMs !== undefined ? { autopilotIntervalMs: options.autopilotIntervalMs } : {}),
      eventsDropped: 0,
      stopped: false,
      changed: () => options.onChange?.(),
    };
    namespaces.createNamespace(this.state, 'default');
  }

  // namespaces and tokens
  createNamespace = (name: string): Json => namespaces.createNamespace(this.state, name);
  createNamespaceFromBody = (body: Json): Json => namespaces.createNamespaceFromBody(this.state, body);
  listNamespaces = (): Json[] => [...this.state.namespaces.values()].map(namespaces.namespaceView);
  getNamespace = (name: string): Json => namespaces.namespaceView(namespaceOf(this.state, name));
  deleteNamespace = (name: string): Json => namespaces.deleteNamespace(this.state, name);
  hasNamespace = (name: string): boolean => this.state.namespaces.has(name);
  createToken = (namespace: string, body: Json): Json => namespaces.createToken(this.state, namespace, body);
  listTokens = (namespace: string): Json => namespaces.listTokens(this.state, namespace);
  getToken = (namespace: string, name: string): Json => namespaces.getToken(this.state, namespace, name);
  deleteToken = (namespace: string, name: string): Json => namespaces.deleteToken(this.state, namespace, name);
  /** The role a token secret grants in a namespace; none outside its own namespace or without one. */
  roleOf = (secret: string, namespace: string | undefined): Role | undefined =>
    namespace === undefined ? undefined : namespaces.roleOf(this.state, secret, namespace);
  /** True when the secret is a known token (in any namespace). */
  isToken = (secret: string): boolean => this.state.tokens.has(secret);
  /** The full name of the token with this secret, if any. */
  tokenName = (secret: string): string | undefined => this.state.tokens.get(secret)?.name;

  // deployment targets and defaults
  listTargets = (namespace: string): Json[] => targets.listTargets(this.state, namespace);
  getTarget = (namespace: string, name: string): Json => targets.getTarget(this.state, namespace, name);
  createTarget = (namespace: string, body: Json): Json => targets.createTarget(this.state, namespace, body);
  putTarget = (namespace: string, name: string, body: Json): { created: boolean; body: Json } =>
    targets.putTarget(this.state, namespace, name, body);
  deleteTarget = (namespace: string, name: string): Json => targets.deleteTarget(this.state, namespace, name);
  getDefaults = (namespace: string): Json => targets.getDefaults(this.state, namespace);
  patchDefaults = (namespace: string, body: Json): Json => targets.patchDefaults(this.state, namespace, body);
  globalDefaults = (): Json => targets.globalDefaults(this.state);

  // deployments
  listDeployments = (namespace: string, labelSelector?: string): VvpDeployment[] =>
    deployments.listDeployments(this.state, namespace, labelSelector).map(copy);
  getDeployment = (namespace: string, nameOrId: string): VvpDeployment =>
    copy(deployments.record(this.state, namespace, nameOrId).deployment);
  // `caller` names who writes over HTTP (write protection, protection.ts); in-process calls pass none
  createDeployment = (namespace: string, body: Json, caller?: string): VvpDeployment =>
    deployments.createDeployment(this.state, namespace, body, caller);
  putDeployment = (
    namespace: string,
    name: string,
    body: Json,
    caller?: string,
  ): { created: boolean; deployment: VvpDeployment } =>
    deployments.putDeployment(this.state, namespace, name, body, caller);
  patchDeployment = (namespace: string, nameOrId: string, body: Json, caller?: string): VvpDeployment =>
    deployments.patchDeployment(this.state, namespace, nameOrId, body, caller);
  deleteDeployment = (namespace: string, nameOrId: string, caller?: string): VvpDeployment =>
    deployments.deleteDeployment(this.state, namespace, nameOrId, caller);

  // jobs, savepoints, events
  listJobs = (namespace: string, deploymentId?: string): VvpJob[] =>
    activity.listJobs(this.state, namespace, deploymentId).map(copy);
  getJob = (namespace: string, id: string): VvpJob => copy(activity.getJob(this.state, namespace, id));
  listSavepoints = (namespace: string, filter: activity.ActivityFilter): VvpSavepoint[] =>
    activity.listSavepoints(this.state, namespace, filter).map(copy);
  getSavepoint = (namespace: string, id: string): VvpSavepoint =>
    copy(activity.getSavepoint(this.state, namespace, id));
  postSavepoint = (namespace: string, body: Json, caller?: string): VvpSavepoint => {
    const id = (body.metadata as Json | undefined)?.deploymentId;
    const rec = [...namespaceOf(this.state, namespace).deployments.values()].find(
      (r) => r.deployment.metadata.id === id,
    );
    if (rec) checkWrite(this.state, rec, caller, 'take a savepoint of');
    return activity.postSavepoint(this.state, namespace, body);
  };
  listEvents = (namespace: string, filter: activity.ActivityFilter): VvpEvent[] =>
    activity.listEvents(this.state, namespace, filter).map(copy);
  postEvent = (namespace: string, body: Json): VvpEvent => {
    if (!this.state.profile.eventsPost)
      throw notInProfile(
        this.state.profile,
        `POST /api/v1/namespaces/${namespace}/events`,
        'VVP 2.x has no events write API (GET lists events); clients should stop posting events',
      );
    return activity.postEvent(this.state, namespace, body);
  };

  // persistence
  /** A JSON snapshot of everything (for --data-dir). */
  snapshot = (): Json => snapshot(this.state);
  /** Restores a snapshot and resumes unfinished transitions. */
  restore = (snap: Json): void => restore(this.state, snap);

  /** Stops every timer. */
  stop(): void {
    this.state.stopped = true;
    for (const ns of this.state.namespaces.values()) for (const rec of ns.deployments.values()) rec.cancel?.();
  }
}
