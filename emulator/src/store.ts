/**
 * The emulated platform: namespaces, deployments, jobs, savepoints, events, targets, defaults and tokens, plus the
 * deployment state machine, which runs asynchronously with a configurable delay per phase.
 */
import { randomUUID } from 'node:crypto';
import type { VvpDeployment, VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import type { Faults } from './faults';

/** An error answered with a status and a JSON `{message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** PATCH semantics of the platform: objects merge key by key, arrays and scalars replace, null removes. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return copy(patch);
  const out: Json = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = isObj(v) ? mergePatch(out[k], v) : copy(v);
  }
  return out;
}

/** ISO-8601 with microseconds, as VVP writes timestamps. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

const SPEC_VERSION = 'com.dataartisans.appmanager.controller.deployment.spec.version';
const TRANSITIONING = 'com.dataartisans.appmanager.controller.deployment.transitioning';
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TARGET_NAME = /^[0-9a-zA-Z_-]{1,250}$/;
const DESIRED = ['RUNNING', 'CANCELLED', 'SUSPENDED'];
const ARTIFACT_KINDS: Record<string, string> = { JAR: 'jarUri', SQLSCRIPT: 'sqlScript', PYTHON: 'pythonArtifactUri' };

/** Built-in global deployment defaults (docs/adr/0003 records where each value comes from). */
export const GLOBAL_DEFAULTS: Json = {
  state: 'CANCELLED',
  upgradeStrategy: { kind: 'STATEFUL' },
  restoreStrategy: { kind: 'LATEST_STATE', allowNonRestoredState: false },
  maxSavepointCreationAttempts: 4,
  maxJobCreationAttempts: 4,
  template: {
    spec: {
      parallelism: 1,
      resources: { jobmanager: { cpu: 1, memory: '1G' }, taskmanager: { cpu: 1, memory: '2G' } },
      logging: { loggingProfile: 'default', log4jLoggers: { '': 'INFO' } },
      flinkConfiguration: {},
    },
  },
};

/** A token's role in a namespace. */
export type Role = 'viewer' | 'editor' | 'owner';

interface ApiToken {
  name: string;
  role: Role;
  secret: string;
  createTime: string;
  namespace: string;
}

interface Namespace {
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
}

/** A deployment and the state-machine bookkeeping beside it. */
interface DeploymentRecord {
  deployment: VvpDeployment;
  /** Job creation attempts of the current start. */
  attempts: number;
  /** Savepoint attempts of the current suspension or upgrade. */
  savepointAttempts: number;
  /** A pending stop of the running job. */
  stop?: { reason: 'CANCEL' | 'SUSPEND' | 'UPGRADE'; savepointId?: string };
  /** Set by a spec change: FAILED and FINISHED are terminal only until the spec changes. */
  retry?: boolean;
  timer?: NodeJS.Timeout;
}

/** Options of the store. */
export interface StoreOptions {
  /** Delay of each state-machine phase in ms. @default 1000 */
  transitionDelayMs?: number;
  faults: Faults;
  now?: () => Date;
  /** Called after every change (persistence). */
  onChange?: () => void;
}

/** The platform's state. */
export class Store {
  private namespaces = new Map<string, Namespace>();
  private tokens = new Map<string, ApiToken>();
  private readonly delay: number;
  private readonly now: () => Date;
  private stopped = false;

  constructor(private readonly options: StoreOptions) {
    this.delay = options.transitionDelayMs ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.createNamespace('default');
  }

  private ts(): string {
    return timestamp(this.now());
  }

  private changed(): void {
    this.options.onChange?.();
  }

  // ---------------- namespaces ----------------

  /** Creates a namespace with deployment target `default`. */
  createNamespace(name: string): Json {
    if (!NAME.test(name))
      throw new HttpError(
        400,
        `Invalid namespace name '${name}': use at most 63 characters of [-0-9a-z], not starting or ending with '-'`,
      );
    if (this.namespaces.has(name)) throw new HttpError(409, `Namespace '${name}' already exists`);
    const ns: Namespace = {
      name,
      createTime: this.ts(),
      lifecyclePhase: 'LIFECYCLE_PHASE_ACTIVE',
      roleBindings: [],
      defaults: {},
      targets: new Map(),
      deployments: new Map(),
      jobs: new Map(),
      savepoints: new Map(),
      events: [],
    };
    this.namespaces.set(name, ns);
    this.putTarget(name, 'default', { spec: { kubernetes: { namespace: name === 'default' ? 'vvp-jobs' : name } } });
    this.changed();
    return this.namespaceView(ns);
  }

  private namespaceView(ns: Namespace): Json {
    return {
      name: `namespaces/${ns.name}`,
      createTime: ns.createTime,
      lifecyclePhase: ns.lifecyclePhase,
      roleBindings: ns.roleBindings,
    };
  }

  /** Lists namespaces. */
  listNamespaces(): Json[] {
    return [...this.namespaces.values()].map((ns) => this.namespaceView(ns));
  }

  /** Gets a namespace view. */
  getNamespace(name: string): Json {
    return this.namespaceView(this.ns(name));
  }

  /** Deletes a namespace and everything in it. */
  deleteNamespace(name: string): Json {
    const ns = this.ns(name);
    for (const rec of ns.deployments.values()) clearTimeout(rec.timer);
    this.namespaces.delete(name);
    this.changed();
    return this.namespaceView(ns);
  }

  private ns(name: string): Namespace {
    const ns = this.namespaces.get(name);
    if (!ns) throw new HttpError(404, `Namespace '${name}' does not exist`);
    return ns;
  }

  /** True when the namespace exists. */
  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  // ---------------- tokens ----------------

  /** Creates an API token; the secret is returned only here. */
  createToken(namespace: string, body: Json): Json {
    this.ns(namespace);
    const fullName = String(body.name ?? '');
    const prefix = `namespaces/${namespace}/apitokens/`;
    if (!fullName.startsWith(prefix) || fullName.length === prefix.length) {
      throw new HttpError(400, `Invalid token name '${fullName}': it must be fully qualified as '${prefix}<name>'`);
    }
    const role = body.role as Role;
    if (!['viewer', 'editor', 'owner'].includes(role))
      throw new HttpError(400, `Invalid role '${String(body.role)}': use viewer, editor or owner`);
    if ([...this.tokens.values()].some((t) => t.name === fullName))
      throw new HttpError(409, `API token '${fullName}' already exists`);
    const token: ApiToken = { name: fullName, role, secret: randomUUID(), createTime: this.ts(), namespace };
    this.tokens.set(token.secret, token);
    this.changed();
    return { apiToken: { name: token.name, role: token.role, secret: token.secret, createTime: token.createTime } };
  }

  /** Lists tokens of a namespace without secrets. */
  listTokens(namespace: string): Json {
    this.ns(namespace);
    const list = [...this.tokens.values()]
      .filter((t) => t.namespace === namespace)
      .map((t) => ({ name: t.name, role: t.role, createTime: t.createTime }));
    return { apiTokens: list };
  }

  /** Gets one token without its secret. */
  getToken(namespace: string, name: string): Json {
    const t = this.findToken(namespace, name);
    return { apiToken: { name: t.name, role: t.role, createTime: t.createTime } };
  }

  /** Deletes a token. */
  deleteToken(namespace: string, name: string): Json {
    const t = this.findToken(namespace, name);
    this.tokens.delete(t.secret);
    this.changed();
    return { apiToken: { name: t.name, role: t.role, createTime: t.createTime } };
  }

  private findToken(namespace: string, name: string): ApiToken {
    const full = `namespaces/${namespace}/apitokens/${name}`;
    const t = [...this.tokens.values()].find((x) => x.name === full);
    if (!t) throw new HttpError(404, `API token '${full}' does not exist`);
    return t;
  }

  /** The role a token secret grants in a namespace, if any. */
  roleOf(secret: string, namespace: string | undefined): Role | undefined {
    const t = this.tokens.get(secret);
    if (!t) return undefined;
    return namespace === undefined || t.namespace === namespace ? t.role : undefined;
  }

  /** True when the secret is a known token (in any namespace). */
  isToken(secret: string): boolean {
    return this.tokens.has(secret);
  }

  // ---------------- deployment targets and defaults ----------------

  /** Lists deployment targets. */
  listTargets(namespace: string): Json[] {
    return [...this.ns(namespace).targets.values()].map(copy);
  }

  /** Gets a deployment target by name. */
  getTarget(namespace: string, name: string): Json {
    const t = this.ns(namespace).targets.get(name);
    if (!t) throw new HttpError(404, `Deployment target '${name}' does not exist in namespace '${namespace}'`);
    return copy(t);
  }

  /** Creates (POST) a deployment target. */
  createTarget(namespace: string, body: Json): Json {
    const name = (body.metadata as Json | undefined)?.name;
    if (typeof name !== 'string') throw new HttpError(400, 'Deployment target metadata.name is required');
    if (this.ns(namespace).targets.has(name))
      throw new HttpError(409, `Deployment target '${name}' already exists in namespace '${namespace}'`);
    return this.putTarget(namespace, name, body).body;
  }

  /** Creates or updates a deployment target; its spec is immutable. */
  putTarget(namespace: string, name: string, body: Json): { created: boolean; body: Json } {
    if (!TARGET_NAME.test(name))
      throw new HttpError(400, `Invalid deployment target name '${name}': use at most 250 characters of [0-9a-zA-Z-_]`);
    const ns = this.ns(namespace);
    const existing = ns.targets.get(name);
    const meta = (body.metadata as Json | undefined) ?? {};
    if (existing) {
      if (body.spec !== undefined && JSON.stringify(body.spec) !== JSON.stringify(existing.spec)) {
        throw new HttpError(400, `Deployment target '${name}': spec is immutable`);
      }
      const m = existing.metadata as Json;
      existing.metadata = {
        ...m,
        labels: meta.labels ?? m.labels,
        annotations: meta.annotations ?? m.annotations,
        modifiedAt: this.ts(),
        resourceVersion: Number(m.resourceVersion) + 1,
      };
      this.changed();
      return { created: false, body: copy(existing) };
    }
    const now = this.ts();
    const target: Json = {
      kind: 'DeploymentTarget',
      apiVersion: 'v1',
      metadata: {
        id: randomUUID(),
        name,
        namespace,
        labels: meta.labels ?? {},
        annotations: meta.annotations ?? {},
        createdAt: now,
        modifiedAt: now,
        resourceVersion: 1,
      },
      spec: body.spec ?? { kubernetes: { namespace } },
    };
    ns.targets.set(name, target);
    this.changed();
    return { created: true, body: copy(target) };
  }

  /** Deletes a deployment target unless a deployment references it. */
  deleteTarget(namespace: string, name: string): Json {
    const ns = this.ns(namespace);
    const t = this.getTarget(namespace, name);
    const user = [...ns.deployments.values()].find((r) => r.deployment.spec.deploymentTargetName === name);
    if (user)
      throw new HttpError(
        409,
        `Deployment target '${name}' is referenced by deployment '${user.deployment.metadata.name}'`,
      );
    ns.targets.delete(name);
    this.changed();
    return t;
  }

  /** The namespace's deployment defaults. */
  getDefaults(namespace: string): Json {
    const ns = this.ns(namespace);
    return { kind: 'DeploymentDefaults', apiVersion: 'v1', metadata: { namespace }, spec: copy(ns.defaults) };
  }

  /** Merges a patch into the namespace's deployment defaults. */
  patchDefaults(namespace: string, body: Json): Json {
    const ns = this.ns(namespace);
    ns.defaults = mergePatch(ns.defaults, body.spec ?? {}) as Json;
    this.changed();
    return this.getDefaults(namespace);
  }

  /** The global deployment defaults. */
  globalDefaults(): Json {
    return { kind: 'DeploymentDefaults', apiVersion: 'v1', metadata: {}, spec: copy(GLOBAL_DEFAULTS) };
  }

  // ---------------- deployments ----------------

  private record(namespace: string, nameOrId: string): DeploymentRecord {
    const ns = this.ns(namespace);
    const byName = ns.deployments.get(nameOrId);
    const byId = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === nameOrId);
    const rec = byId ?? byName;
    if (!rec) throw new HttpError(404, `Deployment '${nameOrId}' does not exist in namespace '${namespace}'`);
    return rec;
  }

  /** Lists deployments, optionally filtered by a `k=v,k2=v2` label selector. */
  listDeployments(namespace: string, labelSelector?: string): VvpDeployment[] {
    const pairs = (labelSelector ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const i = p.indexOf('=');
        if (i < 1) throw new HttpError(400, `Invalid labelSelector '${labelSelector}': use k=v,k2=v2`);
        return [p.slice(0, i), p.slice(i + 1).replace(/^=/, '')] as const;
      });
    return [...this.ns(namespace).deployments.values()]
      .map((r) => r.deployment)
      .filter((d) => pairs.every(([k, v]) => d.metadata.labels?.[k] === v))
      .map(copy);
  }

  /** Gets a deployment by name or id. */
  getDeployment(namespace: string, nameOrId: string): VvpDeployment {
    return copy(this.record(namespace, nameOrId).deployment);
  }

  /** Creates a deployment (POST): 409 when the name exists. */
  createDeployment(namespace: string, body: Json): VvpDeployment {
    const meta = isObj(body.metadata) ? body.metadata : {};
    const name = meta.name;
    if (typeof name === 'string' && this.ns(namespace).deployments.has(name)) {
      throw new HttpError(409, `Deployment '${name}' already exists in namespace '${namespace}'`);
    }
    return this.insert(namespace, body);
  }

  /** Creates or replaces a deployment (PUT): omitted fields are reset to defaults; description is never changed. */
  putDeployment(namespace: string, name: string, body: Json): { created: boolean; deployment: VvpDeployment } {
    const ns = this.ns(namespace);
    const meta = isObj(body.metadata) ? body.metadata : {};
    if (meta.name !== undefined && meta.name !== name)
      throw new HttpError(400, `metadata.name '${String(meta.name)}' does not match the path name '${name}'`);
    const existing = ns.deployments.get(name);
    if (!existing)
      return { created: true, deployment: this.insert(namespace, { ...body, metadata: { ...meta, name } }) };
    this.checkResourceVersion(existing.deployment, meta);
    this.checkNamespace(namespace, meta);
    const old = existing.deployment;
    const spec = this.withDefaults(namespace, body.spec);
    const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
    annotations[SPEC_VERSION] = old.metadata.annotations?.[SPEC_VERSION] ?? '1';
    const next: VvpDeployment = {
      kind: 'Deployment',
      apiVersion: 'v1',
      metadata: {
        id: old.metadata.id,
        name,
        namespace,
        ...(meta.displayName !== undefined ? { displayName: String(meta.displayName) } : {}),
        ...(old.metadata.description !== undefined ? { description: old.metadata.description } : {}),
        labels: (meta.labels as Record<string, string> | undefined) ?? {},
        annotations,
        createdAt: old.metadata.createdAt,
        modifiedAt: old.metadata.modifiedAt,
        resourceVersion: old.metadata.resourceVersion,
      },
      spec: spec as VvpDeployment['spec'],
      status: old.status,
    };
    this.validateDeployment(namespace, next);
    return { created: false, deployment: this.commit(existing, next) };
  }

  /** Partially updates a deployment (PATCH): objects merge, arrays replace, null removes. */
  patchDeployment(namespace: string, nameOrId: string, body: Json): VvpDeployment {
    const rec = this.record(namespace, nameOrId);
    const old = rec.deployment;
    const meta = isObj(body.metadata) ? body.metadata : {};
    if (meta.name !== undefined && meta.name !== old.metadata.name)
      throw new HttpError(400, `metadata.name is immutable (is '${old.metadata.name}', got '${String(meta.name)}')`);
    if (meta.id !== undefined && meta.id !== old.metadata.id) throw new HttpError(400, 'metadata.id is immutable');
    this.checkResourceVersion(old, meta);
    this.checkNamespace(namespace, meta);
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
    this.validateDeployment(namespace, next);
    return this.commit(rec, next);
  }

  /** Deletes a deployment; only when its desired state is CANCELLED or SUSPENDED. */
  deleteDeployment(namespace: string, nameOrId: string): VvpDeployment {
    const ns = this.ns(namespace);
    const rec = this.record(namespace, nameOrId);
    const d = rec.deployment;
    if (d.spec.state !== 'CANCELLED' && d.spec.state !== 'SUSPENDED') {
      throw new HttpError(
        409,
        `Deployment '${d.metadata.name}' can only be deleted in desired state CANCELLED or SUSPENDED (desired state is ${d.spec.state}); set spec.state to CANCELLED first`,
      );
    }
    clearTimeout(rec.timer);
    const job = this.activeJob(ns, d);
    if (job) this.terminateJob(job, 'TERMINATED');
    ns.deployments.delete(d.metadata.name);
    this.changed();
    return copy(d);
  }

  private checkResourceVersion(current: VvpDeployment, meta: Json): void {
    if (meta.resourceVersion !== undefined && Number(meta.resourceVersion) !== current.metadata.resourceVersion) {
      throw new HttpError(
        409,
        `Deployment '${current.metadata.name}' was modified: resourceVersion ${String(meta.resourceVersion)} is stale (current ${current.metadata.resourceVersion})`,
      );
    }
  }

  private checkNamespace(namespace: string, meta: Json): void {
    if (meta.namespace !== undefined && meta.namespace !== namespace) {
      throw new HttpError(
        400,
        `metadata.namespace '${String(meta.namespace)}' does not match the path namespace '${namespace}'`,
      );
    }
  }

  private withDefaults(namespace: string, spec: unknown): Json {
    const ns = this.ns(namespace);
    return mergePatch(mergePatch(GLOBAL_DEFAULTS, ns.defaults), isObj(spec) ? spec : {}) as Json;
  }

  private insert(namespace: string, body: Json): VvpDeployment {
    const meta = isObj(body.metadata) ? body.metadata : {};
    this.checkNamespace(namespace, meta);
    const now = this.ts();
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
        createdAt: now,
        modifiedAt: now,
        resourceVersion: 1,
      },
      spec: this.withDefaults(namespace, body.spec) as VvpDeployment['spec'],
      status: { state: 'CANCELLED' },
    };
    this.validateDeployment(namespace, deployment);
    const ns = this.ns(namespace);
    const rec: DeploymentRecord = { deployment, attempts: 0, savepointAttempts: 0 };
    if (deployment.spec.state === 'SUSPENDED') deployment.status = { state: 'SUSPENDED' };
    ns.deployments.set(deployment.metadata.name, rec);
    this.schedule(rec);
    this.changed();
    return copy(deployment);
  }

  /** Stores a write: bumps resourceVersion, modifiedAt and, on spec changes, the spec version. */
  private commit(rec: DeploymentRecord, next: VvpDeployment): VvpDeployment {
    const old = rec.deployment;
    const specChanged = JSON.stringify(old.spec) !== JSON.stringify(next.spec);
    const version = Number(old.metadata.annotations?.[SPEC_VERSION] ?? '1');
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [SPEC_VERSION]: String(specChanged ? version + 1 : version),
    };
    next.metadata.resourceVersion = (old.metadata.resourceVersion ?? 0) + 1;
    next.metadata.modifiedAt = this.ts();
    rec.deployment = next;
    if (specChanged) {
      // a spec change is a new attempt: FAILED and FINISHED are terminal only until the spec changes
      rec.attempts = 0;
      rec.savepointAttempts = 0;
      rec.retry = true;
      this.schedule(rec);
    }
    this.changed();
    return copy(next);
  }

  /** The platform's validation of a deployment: 400 with a message naming the field. */
  private validateDeployment(namespace: string, d: VvpDeployment): void {
    const name = d.metadata.name;
    if (typeof name !== 'string' || name === '') throw new HttpError(400, 'metadata.name is required');
    if (!NAME.test(name) || name.length > 63) {
      throw new HttpError(
        400,
        `Invalid deployment name '${name}': use at most 63 characters of [-0-9a-z], not starting or ending with '-'`,
      );
    }
    const spec = d.spec as Json;
    if (!DESIRED.includes(String(spec.state)))
      throw new HttpError(400, `Invalid spec.state '${String(spec.state)}': use RUNNING, CANCELLED or SUSPENDED`);
    const up = (spec.upgradeStrategy as Json | undefined)?.kind;
    if (up !== undefined && !['STATEFUL', 'STATELESS', 'NONE'].includes(String(up)))
      throw new HttpError(400, `Invalid spec.upgradeStrategy.kind '${String(up)}'`);
    const rs = (spec.restoreStrategy as Json | undefined)?.kind;
    if (rs !== undefined && !['LATEST_STATE', 'LATEST_SAVEPOINT', 'NONE'].includes(String(rs)))
      throw new HttpError(400, `Invalid spec.restoreStrategy.kind '${String(rs)}'`);
    for (const key of ['maxSavepointCreationAttempts', 'maxJobCreationAttempts']) {
      const v = spec[key];
      if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1))
        throw new HttpError(400, `Invalid spec.${key} '${String(v)}': must be an integer of at least 1`);
    }
    const target = spec.deploymentTargetName ?? spec.deploymentTargetId;
    if (target === undefined && spec.sessionClusterName === undefined) {
      throw new HttpError(
        400,
        'Deployment needs a deployment mode: set spec.deploymentTargetName (or deploymentTargetId) or spec.sessionClusterName',
      );
    }
    if (typeof spec.deploymentTargetName === 'string' && !this.ns(namespace).targets.has(spec.deploymentTargetName)) {
      throw new HttpError(
        400,
        `Deployment target '${spec.deploymentTargetName}' does not exist in namespace '${namespace}'`,
      );
    }
    const tspec = ((spec.template as Json | undefined)?.spec ?? {}) as Json;
    const artifact = tspec.artifact as Json | undefined;
    if (!isObj(artifact) || artifact.kind === undefined)
      throw new HttpError(400, 'spec.template.spec.artifact.kind is required (JAR, SQLSCRIPT or PYTHON)');
    const locator = ARTIFACT_KINDS[String(artifact.kind)];
    if (!locator)
      throw new HttpError(
        400,
        `Invalid spec.template.spec.artifact.kind '${String(artifact.kind)}': use JAR, SQLSCRIPT or PYTHON`,
      );
    if (typeof artifact[locator] !== 'string' || artifact[locator] === '')
      throw new HttpError(
        400,
        `spec.template.spec.artifact.${locator} is required for artifact kind ${String(artifact.kind)}`,
      );
    if (
      tspec.parallelism !== undefined &&
      (!Number.isInteger(tspec.parallelism) || (tspec.parallelism as number) < 1)
    ) {
      throw new HttpError(
        400,
        `Invalid spec.template.spec.parallelism '${String(tspec.parallelism)}': must be a positive integer`,
      );
    }
    const resources = (tspec.resources ?? {}) as Json;
    for (const role of ['jobmanager', 'taskmanager']) {
      const cpu = (resources[role] as Json | undefined)?.cpu;
      if (cpu !== undefined && (typeof cpu !== 'number' || cpu < 0.1))
        throw new HttpError(
          400,
          `Invalid spec.template.spec.resources.${role}.cpu '${String(cpu)}': must be a number of at least 0.1`,
        );
    }
    const conf = tspec.flinkConfiguration;
    if (isObj(conf)) for (const [k, v] of Object.entries(conf)) if (typeof v !== 'string') conf[k] = String(v);
  }

  // ---------------- jobs, savepoints, events ----------------

  /** Lists jobs, optionally of one deployment. */
  listJobs(namespace: string, deploymentId?: string): VvpJob[] {
    return [...this.ns(namespace).jobs.values()]
      .filter((j) => !deploymentId || j.metadata.deploymentId === deploymentId)
      .map(copy);
  }

  /** Gets a job. */
  getJob(namespace: string, id: string): VvpJob {
    const j = this.ns(namespace).jobs.get(id);
    if (!j) throw new HttpError(404, `Job '${id}' does not exist in namespace '${namespace}'`);
    return copy(j);
  }

  /** Lists savepoints, optionally of one deployment or job. */
  listSavepoints(namespace: string, filter: { deploymentId?: string; jobId?: string }): VvpSavepoint[] {
    return [...this.ns(namespace).savepoints.values()]
      .filter(
        (s) =>
          (!filter.deploymentId || s.metadata.deploymentId === filter.deploymentId) &&
          (!filter.jobId || s.metadata.jobId === filter.jobId),
      )
      .map(copy);
  }

  /** Gets a savepoint. */
  getSavepoint(namespace: string, id: string): VvpSavepoint {
    const s = this.ns(namespace).savepoints.get(id);
    if (!s) throw new HttpError(404, `Savepoint '${id}' does not exist in namespace '${namespace}'`);
    return copy(s);
  }

  /** Triggers a savepoint of the running job, or registers an external one when a location is given. */
  postSavepoint(namespace: string, body: Json): VvpSavepoint {
    const ns = this.ns(namespace);
    const meta = isObj(body.metadata) ? body.metadata : {};
    const deploymentId = meta.deploymentId;
    if (typeof deploymentId !== 'string') throw new HttpError(400, 'metadata.deploymentId is required');
    const rec = [...ns.deployments.values()].find((r) => r.deployment.metadata.id === deploymentId);
    if (!rec) throw new HttpError(404, `Deployment '${deploymentId}' does not exist in namespace '${namespace}'`);
    const location = isObj(body.spec) ? body.spec.savepointLocation : undefined;
    if (typeof location === 'string') {
      const sp = this.newSavepoint(ns, rec.deployment, undefined, 'COPIED', location);
      sp.status = { state: 'COMPLETED' };
      this.changed();
      return copy(sp);
    }
    const job = this.activeJob(ns, rec.deployment);
    if (!job || job.status?.state !== 'STARTED') {
      throw new HttpError(
        400,
        `Deployment '${rec.deployment.metadata.name}' has no running job; savepoints can only be taken while the job is RUNNING`,
      );
    }
    const sp = this.newSavepoint(ns, rec.deployment, job.metadata.id, 'USER_REQUEST');
    this.event(ns, rec.deployment, 'NEED_TO_TRIGGER_A_SAVEPOINT', 'Savepoint requested by user', job.metadata.id);
    this.event(
      ns,
      rec.deployment,
      'SUCCESSFULLY_TRIGGERED_A_SAVEPOINT',
      `Triggered savepoint ${sp.metadata.id}`,
      job.metadata.id,
    );
    this.later(() => this.finishSavepoint(ns, rec.deployment, sp));
    this.changed();
    return copy(sp);
  }

  private newSavepoint(
    ns: Namespace,
    d: VvpDeployment,
    jobId: string | undefined,
    origin: string,
    location?: string,
  ): VvpSavepoint {
    const id = randomUUID();
    const dir =
      (d.spec.template?.spec?.flinkConfiguration ?? {})['state.savepoints.dir'] ?? 's3://vvp-emulator/savepoints';
    const now = this.ts();
    const sp: VvpSavepoint = {
      kind: 'Savepoint',
      apiVersion: 'v1',
      metadata: {
        id,
        namespace: ns.name,
        deploymentId: d.metadata.id,
        ...(jobId ? { jobId } : {}),
        origin,
        createdAt: now,
        modifiedAt: now,
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
  private finishSavepoint(ns: Namespace, d: VvpDeployment, sp: VvpSavepoint): boolean {
    const failed = this.options.faults.applies('failSavepoints', d.metadata.name);
    sp.status = failed
      ? {
          state: 'FAILED',
          failure: {
            message: 'Savepoint failed in Flink (injected fault)',
            reason: 'SAVEPOINT_FAILED',
            failedAt: this.ts(),
          },
        }
      : { state: 'COMPLETED' };
    sp.metadata.modifiedAt = this.ts();
    sp.metadata.resourceVersion = (sp.metadata.resourceVersion ?? 1) + 1;
    if (!failed)
      this.event(
        ns,
        d,
        'FOUND_A_COMPLETED_SAVEPOINT_READY_FOR_SUSPENSION',
        `Savepoint ${sp.metadata.id} completed`,
        sp.metadata.jobId,
      );
    this.changed();
    return !failed;
  }

  /** Lists events, optionally filtered. */
  listEvents(namespace: string, filter: { deploymentId?: string; jobId?: string }): VvpEvent[] {
    return this.ns(namespace)
      .events.filter(
        (e) =>
          (!filter.deploymentId || e.metadata.deploymentId === filter.deploymentId) &&
          (!filter.jobId || e.metadata.jobId === filter.jobId),
      )
      .map(copy);
  }

  /** Records an event posted by a client (e.g. `EXTERNAL` events of the operator). */
  postEvent(namespace: string, body: Json): VvpEvent {
    const ns = this.ns(namespace);
    const meta = isObj(body.metadata) ? body.metadata : {};
    const spec = isObj(body.spec) ? body.spec : {};
    if (typeof spec.message !== 'string' || spec.message === '') throw new HttpError(400, 'spec.message is required');
    const e: VvpEvent = {
      metadata: {
        id: randomUUID(),
        namespace,
        createdAt: this.ts(),
        name: typeof meta.name === 'string' ? meta.name : 'EXTERNAL',
        ...(typeof meta.deploymentId === 'string' ? { deploymentId: meta.deploymentId } : {}),
        ...(typeof meta.jobId === 'string' ? { jobId: meta.jobId } : {}),
        resourceVersion: 1,
      },
      spec: { message: spec.message },
    };
    ns.events.push(e);
    this.changed();
    return copy(e);
  }

  private event(ns: Namespace, d: VvpDeployment, name: string, message: string, jobId?: string): void {
    ns.events.push({
      metadata: {
        id: randomUUID(),
        namespace: ns.name,
        createdAt: this.ts(),
        deploymentId: d.metadata.id,
        ...(jobId ? { jobId } : {}),
        name,
        resourceVersion: 1,
      },
      spec: { message },
    });
  }

  // ---------------- state machine ----------------

  private later(fn: () => void): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) fn();
    }, this.delay).unref();
  }

  private schedule(rec: DeploymentRecord): void {
    if (this.stopped) return;
    clearTimeout(rec.timer);
    rec.timer = setTimeout(() => {
      rec.timer = undefined;
      if (this.stopped) return;
      const ns = this.namespaces.get(rec.deployment.metadata.namespace);
      if (ns?.deployments.get(rec.deployment.metadata.name) !== rec) return;
      if (this.step(ns, rec)) this.schedule(rec);
      this.changed();
    }, this.delay);
    rec.timer.unref();
  }

  private activeJob(ns: Namespace, d: VvpDeployment): VvpJob | undefined {
    return [...ns.jobs.values()].find(
      (j) =>
        j.metadata.deploymentId === d.metadata.id &&
        ['STARTING', 'STARTED', 'TERMINATING'].includes(j.status?.state ?? ''),
    );
  }

  private setStatus(
    ns: Namespace,
    d: VvpDeployment,
    state: NonNullable<VvpDeployment['status']>['state'],
    job?: VvpJob,
  ): void {
    const previous = d.status?.state;
    d.status = {
      state,
      ...(job && state === 'RUNNING'
        ? { running: { jobId: job.metadata.id, transitionTime: this.ts(), conditions: [] } }
        : {}),
    };
    const annotations = (d.metadata.annotations ??= {});
    if (state === 'TRANSITIONING') {
      if (annotations[TRANSITIONING] !== 'true') annotations[`${TRANSITIONING}.since`] = this.ts();
      annotations[TRANSITIONING] = 'true';
    } else {
      annotations[TRANSITIONING] = 'false';
      delete annotations[`${TRANSITIONING}.since`];
      if (previous === 'TRANSITIONING') this.event(ns, d, 'STATE_TRANSITION_IS_COMPLETED', `Transitioned to ${state}`);
    }
  }

  private templateHash(d: VvpDeployment): string {
    return JSON.stringify(d.spec.template ?? {});
  }

  private terminateJob(job: VvpJob, state: 'TERMINATED' | 'FAILED' | 'FINISHED'): void {
    job.status = { ...job.status, state };
    job.metadata.terminatedAt = this.ts();
    job.metadata.modifiedAt = this.ts();
  }

  /** One phase of the state machine; returns true when another phase is due. */
  private step(ns: Namespace, rec: DeploymentRecord): boolean {
    const d = rec.deployment;
    const desired = d.spec.state;
    const job = this.activeJob(ns, d);
    const actual = d.status?.state;

    // A pending stop (cancel, suspend, upgrade) runs to its end first.
    if (job && rec.stop) return this.stopPhase(ns, rec, job);

    if (desired === 'RUNNING') {
      if ((actual === 'FAILED' || actual === 'FINISHED') && !rec.retry && !job) return false;
      if (!job) return this.startJob(ns, rec);
      if (job.status?.state === 'STARTING') return this.jobStarting(ns, rec, job);
      if (job.status?.state === 'STARTED') {
        if (job.metadata.annotations?.['emulator.template'] !== this.templateHash(d)) return this.upgrade(ns, rec, job);
        if (actual !== 'RUNNING') this.setStatus(ns, d, 'RUNNING', job);
        if (this.options.faults.applies('finishJobs', d.metadata.name)) {
          this.terminateJob(job, 'FINISHED');
          this.event(ns, d, 'JOB_SUCCESSFULLY_FINISHED', `Job ${job.metadata.id} finished`, job.metadata.id);
          this.event(ns, d, 'TRANSITIONED_TO_FINISHED_STATE', 'Deployment transitioned to FINISHED', job.metadata.id);
          d.status = { state: 'FINISHED' };
        }
        return false;
      }
      return false;
    }

    // desired CANCELLED or SUSPENDED
    if (job) {
      this.event(ns, d, 'STATE_TRANSITION_IS_NEEDED', `Transition from ${actual} to ${desired} is needed`);
      rec.stop = { reason: desired === 'SUSPENDED' ? 'SUSPEND' : 'CANCEL' };
      rec.savepointAttempts = 0;
      this.setStatus(ns, d, 'TRANSITIONING');
      return true;
    }
    if (actual !== desired) this.setStatus(ns, d, desired as 'CANCELLED' | 'SUSPENDED');
    return false;
  }

  private startJob(ns: Namespace, rec: DeploymentRecord): boolean {
    const d = rec.deployment;
    if (d.status?.state !== 'TRANSITIONING')
      this.event(ns, d, 'STATE_TRANSITION_IS_NEEDED', `Transition from ${d.status?.state} to RUNNING is needed`);
    rec.attempts++;
    rec.retry = false;
    const id = randomUUID();
    const now = this.ts();
    const job: VvpJob = {
      metadata: {
        id,
        namespace: ns.name,
        deploymentId: d.metadata.id,
        deploymentName: d.metadata.name,
        createdAt: now,
        modifiedAt: now,
        resourceVersion: 1,
        annotations: {
          [SPEC_VERSION]: d.metadata.annotations?.[SPEC_VERSION] ?? '1',
          'emulator.template': this.templateHash(d),
        },
      },
      spec: copy({
        ...(d.spec.template?.spec ?? {}),
        deploymentTarget: { kubernetes: { namespace: ns.name } },
      }) as Record<string, unknown>,
      status: { state: 'STARTING' },
    };
    ns.jobs.set(id, job);
    this.event(ns, d, 'CREATING_A_NEW_JOB', `Creating job ${id}`, id);
    this.event(ns, d, 'AWAITING_A_JOB_TO_START', `Waiting for job ${id} to start`, id);
    this.setStatus(ns, d, 'TRANSITIONING');
    return true;
  }

  private jobStarting(ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
    const d = rec.deployment;
    if (this.options.faults.applies('failJobs', d.metadata.name)) {
      this.terminateJob(job, 'FAILED');
      job.status = {
        ...job.status,
        failure: { message: 'Job failed to start (injected fault)', reason: 'JOB_CREATION_FAILED' },
      };
      this.event(
        ns,
        d,
        'FAILED_CREATING_A_NEW_JOB',
        `Job ${job.metadata.id} failed to start (attempt ${rec.attempts})`,
        job.metadata.id,
      );
      const max = d.spec.maxJobCreationAttempts ?? 4;
      if (rec.attempts >= max) {
        this.event(ns, d, 'TOO_MANY_FAILED_JOB_CREATION_ATTEMPTS', `Job creation failed ${rec.attempts} times`);
        this.event(ns, d, 'TRANSITIONING_TO_FAILED_STATE_BECAUSE_JOB_NOT_STARTED', 'Transitioning to FAILED');
        d.status = { state: 'FAILED' };
        (d.metadata.annotations ??= {})[TRANSITIONING] = 'false';
        return false;
      }
      return true;
    }
    job.status = { state: 'STARTED', started: { flinkJobId: job.metadata.id.replace(/-/g, ''), startedAt: this.ts() } };
    job.metadata.modifiedAt = this.ts();
    rec.attempts = 0;
    this.event(ns, d, 'JOB_SUCCESSFULLY_STARTED', `Job ${job.metadata.id} started`, job.metadata.id);
    this.setStatus(ns, d, 'RUNNING', job);
    // a finite job or a template change since the job was created needs another phase
    return (
      this.options.faults.applies('finishJobs', d.metadata.name) ||
      job.metadata.annotations?.['emulator.template'] !== this.templateHash(d)
    );
  }

  private upgrade(ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
    const d = rec.deployment;
    const kind = d.spec.upgradeStrategy?.kind ?? 'STATEFUL';
    if (kind === 'NONE') {
      if (d.status?.state !== 'RUNNING') this.setStatus(ns, d, 'RUNNING', job);
      return false;
    }
    this.event(ns, d, 'USING_AN_UPGRADE_STRATEGY', `Using upgrade strategy ${kind}`, job.metadata.id);
    this.event(ns, d, 'FOUND_A_JOB_TO_TERMINATE', `Job ${job.metadata.id} runs an outdated template`, job.metadata.id);
    rec.stop = { reason: 'UPGRADE' };
    rec.savepointAttempts = 0;
    this.setStatus(ns, d, 'TRANSITIONING');
    return true;
  }

  /** Runs a stop: STATEFUL upgrades and suspensions take a savepoint first; then the job terminates. */
  private stopPhase(ns: Namespace, rec: DeploymentRecord, job: VvpJob): boolean {
    const d = rec.deployment;
    const stop = rec.stop!;
    const needsSavepoint =
      stop.reason === 'SUSPEND' ||
      (stop.reason === 'UPGRADE' && (d.spec.upgradeStrategy?.kind ?? 'STATEFUL') === 'STATEFUL');
    if (needsSavepoint && job.status?.state === 'STARTED') {
      if (!stop.savepointId) {
        rec.savepointAttempts++;
        const sp = this.newSavepoint(
          ns,
          d,
          job.metadata.id,
          stop.reason === 'SUSPEND' ? 'SUSPEND' : 'SUSPEND_AND_UPGRADE',
        );
        stop.savepointId = sp.metadata.id;
        this.event(
          ns,
          d,
          'CREATING_A_SAVEPOINT_BEFORE_SUSPENSION',
          `Creating savepoint ${sp.metadata.id}`,
          job.metadata.id,
        );
        this.event(
          ns,
          d,
          'AWAITING_SAVEPOINT_COMPLETION_TO_TRANSITION_TO_SUSPENDED',
          'Waiting for the savepoint',
          job.metadata.id,
        );
        return true;
      }
      const sp = ns.savepoints.get(stop.savepointId)!;
      if (!this.finishSavepoint(ns, d, sp)) {
        const max = d.spec.maxSavepointCreationAttempts ?? 4;
        if (rec.savepointAttempts >= max) {
          this.event(
            ns,
            d,
            'TOO_MANY_FAILED_SUSPENSION_ATTEMPTS',
            `Savepoint failed ${rec.savepointAttempts} times`,
            job.metadata.id,
          );
          this.event(
            ns,
            d,
            'TRANSITIONING_TO_FAILED_STATE_BECAUSE_SAVEPOINT_FAILED_IN_FLINK',
            'Transitioning to FAILED',
            job.metadata.id,
          );
          this.terminateJob(job, 'FAILED');
          rec.stop = undefined;
          d.status = { state: 'FAILED' };
          (d.metadata.annotations ??= {})[TRANSITIONING] = 'false';
          return false;
        }
        stop.savepointId = undefined;
        return true;
      }
    }
    this.event(ns, d, 'AWAITING_A_JOB_TO_TERMINATE', `Terminating job ${job.metadata.id}`, job.metadata.id);
    this.terminateJob(job, 'TERMINATED');
    rec.stop = undefined;
    if (stop.reason === 'UPGRADE') return true; // the next phase starts the new job
    const desired = d.spec.state;
    if (desired === 'RUNNING') return true;
    this.setStatus(ns, d, desired as 'CANCELLED' | 'SUSPENDED');
    return false;
  }

  // ---------------- persistence ----------------

  /** A JSON snapshot of everything (for --data-dir). */
  snapshot(): Json {
    return {
      tokens: [...this.tokens.values()],
      namespaces: [...this.namespaces.values()].map((ns) => ({
        name: ns.name,
        createTime: ns.createTime,
        defaults: ns.defaults,
        targets: [...ns.targets.values()],
        deployments: [...ns.deployments.values()].map((r) => ({
          deployment: r.deployment,
          attempts: r.attempts,
          savepointAttempts: r.savepointAttempts,
          stop: r.stop,
        })),
        jobs: [...ns.jobs.values()],
        savepoints: [...ns.savepoints.values()],
        events: ns.events,
      })),
    };
  }

  /** Restores a snapshot and resumes unfinished transitions. */
  restore(snapshot: Json): void {
    this.namespaces.clear();
    this.tokens.clear();
    for (const t of (snapshot.tokens as ApiToken[]) ?? []) this.tokens.set(t.secret, t);
    for (const n of (snapshot.namespaces as Json[]) ?? []) {
      const ns: Namespace = {
        name: String(n.name),
        createTime: String(n.createTime),
        lifecyclePhase: 'LIFECYCLE_PHASE_ACTIVE',
        roleBindings: [],
        defaults: (n.defaults as Json) ?? {},
        targets: new Map(((n.targets as Json[]) ?? []).map((t) => [String((t.metadata as Json).name), t])),
        deployments: new Map(),
        jobs: new Map(((n.jobs as VvpJob[]) ?? []).map((j) => [j.metadata.id, j])),
        savepoints: new Map(((n.savepoints as VvpSavepoint[]) ?? []).map((s) => [s.metadata.id, s])),
        events: (n.events as VvpEvent[]) ?? [],
      };
      for (const r of (n.deployments as DeploymentRecord[]) ?? []) {
        const rec: DeploymentRecord = {
          deployment: r.deployment,
          attempts: r.attempts,
          savepointAttempts: r.savepointAttempts,
          ...(r.stop ? { stop: r.stop } : {}),
        };
        ns.deployments.set(r.deployment.metadata.name, rec);
      }
      this.namespaces.set(ns.name, ns);
    }
    for (const ns of this.namespaces.values()) for (const rec of ns.deployments.values()) this.schedule(rec);
  }

  /** Stops every timer. */
  stop(): void {
    this.stopped = true;
    for (const ns of this.namespaces.values()) for (const rec of ns.deployments.values()) clearTimeout(rec.timer);
  }
}
