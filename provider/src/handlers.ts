/**
 * The ResourceProvider functions of vvp:Deployment over plain inputs: check, diff, create, read, update, delete.
 * Every rule comes from core; this module only sequences VVP calls. Dependencies (client factory, log, clock,
 * environment, config) are injected so unit tests run them against the emulator.
 */
import {
  DEFAULT_DELETION_POLICY,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  Reasons,
  buildPatchBody,
  buildRestartPatch,
  buildStatePatch,
  classifyChange,
  createdMessage,
  decideExisting,
  decideNonces,
  describeOwner,
  driftPaths,
  overlayDrift,
  errorsOf,
  getPath,
  isInactive,
  startsNewJob,
  needsCancelBeforeDelete,
  isPlainObject,
  messageOf,
  projectedMessage,
  prune,
  pulumiOwnership,
  refreshedDefinition,
  resolveDeployment,
  restartMessage,
  savepointMessage,
  settingsIssues,
  syncModes,
  validate,
  VvpError,
  warningsOf,
  deepEqual,
  type BlockedNonce,
  type ChangeClass,
  type CrDeployment,
  type Deployment,
  type DeploymentRef,
  type DesiredDefinition,
  type Issue,
  type NonceDecision,
  type Ownership,
  type SavepointRecord,
  type VvpDeployment,
} from '../../core/src/index';
import { isConflict, isNotFound, type VvpClient } from '../../vvp-client/src/index';
import { resolveConnection, type ConfigSource, type Connection } from './connection';
import { NameConflictError, ResourceInitError } from './errors';
import { SETTING_KEYS, type ProviderInputs, type ProviderOutputs } from './types';
import { waitForState, waitForSavepoint, type ProviderLog, type WaitContext } from './wait';

/** A wait condition: VVP reports a running job other than `previousJob` (after a restart or an upgrade). */
const runsAnotherJobThan =
  (previousJob: string | undefined) =>
  (d: VvpDeployment): boolean =>
    d.status?.running?.jobId !== undefined && d.status.running.jobId !== previousJob;

/** Pulumi's placeholder for values unknown during preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
/** Key of the serialized provider in dynamic resource properties. */
export const PROVIDER_KEY = '__provider';

/** What the handlers need from the outside world. */
export interface HandlerDeps {
  /** Builds a client for a connection (real client in the provider, any client in tests). */
  clientFor(connection: Connection): VvpClient;
  /** Progress, warnings. */
  log: ProviderLog;
  /** Environment (VVP_URL, VVP_API_TOKEN). */
  env: Record<string, string | undefined>;
  /** Stack config given to `configure`, if any. */
  config?: () => ConfigSource | undefined;
  /** @default setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  now?: () => number;
  /** Poll intervals of waits, in ms. @default { initial: 200, max: MOVING_POLL_INTERVAL_MS } */
  pollMs?: { initial: number; max: number };
}

/** One failure of check(), as Pulumi's dynamic provider expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** The six provider functions. */
export interface Handlers {
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces: string[]; stables: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }>;
  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

const INPUT_KEYS = [
  'syncingMode',
  'deployment',
  'initFields',
  'savepointNonce',
  'restartNonce',
  ...SETTING_KEYS,
  'resourceUrn',
] as const;

function definitionOf(props: Record<string, unknown>): DesiredDefinition {
  return {
    syncingMode: props.syncingMode as DesiredDefinition['syncingMode'],
    deployment: props.deployment as CrDeployment | undefined,
    initFields: props.initFields as CrDeployment | undefined,
    savepointNonce: props.savepointNonce as number | undefined,
    restartNonce: props.restartNonce as number | undefined,
  };
}

function inputsOf(props: Record<string, unknown>): ProviderInputs {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as ProviderInputs;
}

function refOf(inputs: { deployment?: CrDeployment }): DeploymentRef & { deployment: Deployment } {
  const deployment = resolveDeployment(inputs.deployment);
  return { namespace: deployment.metadata?.namespace ?? 'default', name: deployment.metadata?.name ?? '', deployment };
}

function subjectOf(inputs: { deployment?: CrDeployment }): string {
  const d = resolveDeployment(inputs.deployment);
  return `deployment ${d.metadata?.namespace ?? '?'}/${d.metadata?.name ?? '?'}`;
}

function ownershipOf(inputs: ProviderInputs, ref: DeploymentRef): Ownership {
  return pulumiOwnership(inputs.resourceUrn || `vvp:${ref.namespace}/${ref.name}`);
}

/** What the sync mode manages of the deployment as VVP holds it; kept in the outputs to tell out-of-band changes apart. */
function managedView(inputs: ProviderInputs, d: VvpDeployment): Deployment {
  return refreshedDefinition(inputs.syncingMode, resolveDeployment(inputs.deployment), d);
}

function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (isPlainObject(value)) return Object.values(value).some(hasUnknown);
  return false;
}

/** The observed part of the outputs, from the deployment VVP returned last. */
function observed(
  inputs: ProviderInputs,
  d: VvpDeployment,
): Pick<ProviderOutputs, 'deploymentId' | 'actualState' | 'jobId' | 'resourceVersion' | 'lastObserved'> {
  const out: Pick<ProviderOutputs, 'deploymentId' | 'actualState' | 'jobId' | 'resourceVersion' | 'lastObserved'> = {
    deploymentId: d.metadata.id,
    actualState: d.status?.state ?? 'UNKNOWN',
    lastObserved: managedView(inputs, d),
  };
  if (d.status?.running?.jobId !== undefined) out.jobId = d.status.running.jobId;
  if (d.metadata.resourceVersion !== undefined) out.resourceVersion = d.metadata.resourceVersion;
  return out;
}

/** Drops `undefined`/`null` so the outputs travel as a protobuf Struct. */
function clean<T extends object>(outputs: T): Record<string, unknown> {
  return prune(outputs as Record<string, unknown>);
}

/** Creates the provider functions over injected dependencies. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? { initial: 200, max: 2000 };

  function contextFor(inputs: ProviderInputs): { client: VvpClient; ctx: WaitContext; subject: string } {
    const subject = subjectOf(inputs);
    const connection = resolveConnection(inputs, { env: deps.env, config: deps.config?.(), subject });
    const client = deps.clientFor(connection);
    return { client, subject, ctx: { client, log: deps.log, sleep, now, subject, pollMs } };
  }

  const deadlineOf = (inputs: ProviderInputs) =>
    now() + (inputs.waitFor?.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000;
  const waitsForState = (inputs: ProviderInputs) => inputs.waitFor?.state !== false;

  /** Posts a VVP event; a failure is logged and never fails the operation (docs/contract.md §11). */
  async function recordEvent(
    client: VvpClient,
    subject: string,
    namespace: string,
    deploymentId: string,
    message: string,
  ): Promise<void> {
    try {
      await client.createEvent(namespace, { deploymentId, message });
    } catch (err) {
      deps.log.warn(`${subject}: could not record the VVP event "${message}": ${messageOf(err)}`);
    }
  }

  /** One projection: PATCH, or GET + PUT (the strategy decides). */
  async function project(
    client: VvpClient,
    inputs: ProviderInputs,
    ref: DeploymentRef & { deployment: Deployment },
    current?: VvpDeployment,
  ): Promise<VvpDeployment> {
    const strategy = syncModes[inputs.syncingMode];
    const ownership = ownershipOf(inputs, ref);
    const before = strategy.readsBeforeProject
      ? (current ?? (await client.getDeployment(ref.namespace, ref.name)))
      : undefined;
    const body = strategy.projectBody(ref.deployment, before, ownership);
    return strategy.projectMethod === 'PUT'
      ? client.putDeployment(ref.namespace, ref.name, body)
      : client.patchDeployment(ref.namespace, ref.name, body);
  }

  /** Takes over an existing deployment (ours after a crash, or `adopt: true`) or refuses it (NameConflict). */
  async function adoptOrConflict(
    client: VvpClient,
    inputs: ProviderInputs,
    ref: DeploymentRef & { deployment: Deployment },
    existing: VvpDeployment,
    subject: string,
  ): Promise<VvpDeployment> {
    const decision = decideExisting(existing, ownershipOf(inputs, ref), { adopt: inputs.adopt === true });
    if (decision === 'conflict') {
      throw new NameConflictError(
        `${subject}: ${Reasons.NameConflict}: a deployment with this name exists and is ${describeOwner(existing)}; set \`adopt: true\` to take it over, import it, or choose another name`,
      );
    }
    deps.log.info(`${subject}: adopting the existing deployment ${existing.metadata.id}`);
    return project(client, inputs, ref, existing);
  }

  /** Runs the nonce decisions in order; returns what to record. */
  async function processNonces(
    client: VvpClient,
    ctx: WaitContext,
    inputs: ProviderInputs,
    ref: DeploymentRef & { deployment: Deployment },
    decisions: NonceDecision[],
    d: VvpDeployment,
    deadline: number,
  ): Promise<{ d: VvpDeployment; blocked: BlockedNonce[]; lastSavepoint?: SavepointRecord }> {
    const blocked: BlockedNonce[] = [];
    let lastSavepoint: SavepointRecord | undefined;
    for (const decision of decisions) {
      if (decision.action === 'blocked') {
        const reason = `${decision.kind === 'savepoint' ? Reasons.SavepointBlocked : Reasons.RestartBlocked}: ${decision.reason ?? ''}`;
        deps.log.warn(`${ctx.subject}: ${reason}`);
        blocked.push({
          kind: decision.kind,
          ...(decision.value !== undefined ? { value: decision.value } : {}),
          reason,
        });
        continue;
      }
      if (decision.action !== 'trigger' || decision.value === undefined) continue;
      if (decision.kind === 'savepoint') {
        let sp = await client.triggerSavepoint(ref.namespace, d.metadata.id);
        deps.log.info(`${ctx.subject}: triggered savepoint ${sp.metadata.id} (savepointNonce ${decision.value})`);
        lastSavepoint = {
          nonce: decision.value,
          savepointId: sp.metadata.id,
          state: sp.status?.state ?? 'STARTED',
          triggeredAt: new Date(now()).toISOString(),
        };
        await recordEvent(client, ctx.subject, ref.namespace, d.metadata.id, savepointMessage('Pulumi'));
        if (inputs.waitFor?.savepoint === true) {
          sp = await waitForSavepoint(ctx, ref.namespace, sp, { deadline });
          lastSavepoint.state = sp.status?.state ?? 'COMPLETED';
          if (sp.spec.savepointLocation) lastSavepoint.location = sp.spec.savepointLocation;
        }
      } else {
        const previousJob = d.status?.running?.jobId;
        d = await client.patchDeployment(
          ref.namespace,
          ref.name,
          buildPatchBody(buildRestartPatch(decision.value), ownershipOf(inputs, ref)),
        );
        deps.log.info(`${ctx.subject}: triggered a job restart (restartNonce ${decision.value})`);
        await recordEvent(client, ctx.subject, ref.namespace, d.metadata.id, restartMessage('Pulumi'));
        if (waitsForState(inputs)) {
          d = await waitForState(ctx, ref, {
            desired: 'RUNNING',
            deadline,
            initial: d,
            staleState: d.status?.state,
            until: runsAnotherJobThan(previousJob),
            goal: 'the restarted job to be RUNNING',
          });
        }
      }
    }
    return lastSavepoint ? { d, blocked, lastSavepoint } : { d, blocked };
  }

  async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = inputsOf(news);
    const subject = subjectOf(inputs);
    const isCreate = olds === undefined || Object.keys(inputsOf(olds ?? {})).length === 0;
    const { waitFor, deletionPolicy, adopt, baseUrl, apiToken, resourceUrn: _urn, ...definition } = inputs;
    const old = isCreate ? undefined : { spec: definitionOf(olds) };
    let issues: Issue[] = validate({ spec: definition }, old, {
      specPath: '',
      operation: isCreate ? 'CREATE' : 'UPDATE',
      subject,
    })
      // Pulumi replaces the deployment when its name or namespace changes (diff); no rejection here
      .filter((i) => i.code !== 'immutable');
    issues.push(...settingsIssues({ waitFor, deletionPolicy, adopt, baseUrl, apiToken }, { subject }));
    // values still unknown during preview are checked once they are known
    issues = issues.filter((i) => !hasUnknown(getPath(news, i.path)));
    for (const w of warningsOf(issues)) deps.log.warn(w.message);
    return { inputs: news, failures: errorsOf(issues).map((i) => ({ property: i.path, reason: i.message })) };
  }

  async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const before = {
      ...definitionOf(olds),
      savepointNonce: (olds.lastProcessedSavepointNonce ?? olds.savepointNonce) as number | undefined,
      restartNonce: (olds.lastProcessedRestartNonce ?? olds.restartNonce) as number | undefined,
    };
    const summary = classifyChange(before, definitionOf(news));
    const settingsChanged = [...SETTING_KEYS, 'resourceUrn' as const].some((k) => !deepEqual(olds[k], news[k]));
    const changes =
      summary.replace ||
      summary.specChanged ||
      summary.savepointNonceChanged ||
      summary.restartNonceChanged ||
      settingsChanged;
    if (summary.change !== 'none') deps.log.info(`${subjectOf(news)}: change ${summary.change}`);
    return {
      changes,
      replaces: summary.replace ? ['deployment'] : [],
      stables: summary.replace ? [] : ['deploymentId', 'resourceUrn'],
      deleteBeforeReplace: summary.replace,
    };
  }

  async function create(props: Record<string, unknown>) {
    const inputs = inputsOf(props);
    const { client, ctx, subject } = contextFor(inputs);
    const ref = refOf(inputs);
    const strategy = syncModes[inputs.syncingMode];
    const ownership = ownershipOf(inputs, ref);
    const existing = await client.findDeployment(ref.namespace, ref.name);
    let d: VvpDeployment;
    let adopted = existing !== undefined;
    if (existing) {
      d = await adoptOrConflict(client, inputs, ref, existing, subject);
    } else {
      const body = strategy.createBody(
        ref.deployment,
        strategy.usesInitFields ? resolveDeployment(inputs.initFields) : undefined,
        ownership,
      );
      try {
        d =
          strategy.createMethod === 'PUT'
            ? await client.putDeployment(ref.namespace, ref.name, body)
            : await client.createDeployment(ref.namespace, body);
      } catch (err) {
        // someone created it between our look-up and our POST: same rules as an existing deployment
        if (!isConflict(err)) throw err;
        adopted = true;
        d = await adoptOrConflict(client, inputs, ref, await client.getDeployment(ref.namespace, ref.name), subject);
      }
    }
    deps.log.info(`${subject}: ${adopted ? 'adopted' : 'created'} deployment ${d.metadata.id} (${inputs.syncingMode})`);
    await recordEvent(
      client,
      subject,
      ref.namespace,
      d.metadata.id,
      adopted ? projectedMessage('Pulumi', inputs.syncingMode) : createdMessage('Pulumi'),
    );
    // nonces present at creation do not trigger; they are recorded as processed
    const outputs = (x: VvpDeployment): ProviderOutputs => ({
      ...inputs,
      ...observed(inputs, x),
      lastChange: 'none',
      blockedNonces: [],
      ...(inputs.savepointNonce !== undefined ? { lastProcessedSavepointNonce: inputs.savepointNonce } : {}),
      ...(inputs.restartNonce !== undefined ? { lastProcessedRestartNonce: inputs.restartNonce } : {}),
    });
    try {
      if (waitsForState(inputs)) {
        d = await waitForState(ctx, ref, {
          desired: d.spec.state ?? 'CANCELLED',
          deadline: deadlineOf(inputs),
          initial: d,
          staleState: d.status?.state,
        });
      }
    } catch (err) {
      throw new ResourceInitError(
        messageOf(err),
        d.metadata.id,
        { ...clean(outputs(d)), [PROVIDER_KEY]: props[PROVIDER_KEY] },
        [messageOf(err)],
        { cause: err },
      );
    }
    return { id: d.metadata.id, outs: clean(outputs(d)) };
  }

  async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = inputsOf(news);
    const { client, ctx } = contextFor(inputs);
    const ref = refOf(inputs);
    const processedSp = (olds.lastProcessedSavepointNonce ?? olds.savepointNonce) as number | undefined;
    const processedRs = (olds.lastProcessedRestartNonce ?? olds.restartNonce) as number | undefined;
    const summary = classifyChange(
      { ...definitionOf(olds), savepointNonce: processedSp, restartNonce: processedRs },
      definitionOf(inputs as unknown as Record<string, unknown>),
    );
    const deadline = deadlineOf(inputs);
    let d: VvpDeployment | undefined;
    const lastChange: ChangeClass = summary.change;
    const partial = (x: VvpDeployment, extra: Partial<ProviderOutputs> = {}): ProviderOutputs => ({
      ...inputs,
      ...observed(inputs, x),
      lastChange,
      ...(olds.lastSavepoint !== undefined ? { lastSavepoint: olds.lastSavepoint as SavepointRecord } : {}),
      ...(processedSp !== undefined ? { lastProcessedSavepointNonce: processedSp } : {}),
      ...(processedRs !== undefined ? { lastProcessedRestartNonce: processedRs } : {}),
      ...extra,
    });
    // a template change of a running job makes VVP start a new one: the wait then also waits for the new job id
    let upgradeFrom: string | undefined;
    if (summary.specChanged) {
      const old = resolveDeployment(olds.deployment as CrDeployment);
      const oldState = old.spec?.state;
      d = await project(client, inputs, ref);
      if (
        startsNewJob({
          templateChanged: !deepEqual(old.spec?.template, ref.deployment.spec?.template),
          specState: d.spec.state,
          actualState: d.status?.state,
          upgradeStrategy: d.spec.upgradeStrategy?.kind,
        })
      )
        upgradeFrom = d.status?.running?.jobId;
      deps.log.info(`${ctx.subject}: projected the definition (${inputs.syncingMode}, change ${summary.change})`);
      await recordEvent(
        client,
        ctx.subject,
        ref.namespace,
        d.metadata.id,
        projectedMessage('Pulumi', inputs.syncingMode, { from: oldState, to: ref.deployment.spec?.state }),
      );
    }
    try {
      if (d && waitsForState(inputs)) {
        const previousJob = upgradeFrom;
        d = await waitForState(ctx, ref, {
          desired: d.spec.state ?? 'CANCELLED',
          deadline,
          initial: d,
          staleState: d.status?.state,
          ...(previousJob !== undefined
            ? { until: runsAnotherJobThan(previousJob), goal: 'the upgraded job to be RUNNING' }
            : {}),
        });
      }
      d ??= await client.getDeployment(ref.namespace, ref.name);
      if (!summary.savepointNonceChanged && !summary.restartNonceChanged)
        return { outs: clean(partial(d, { blockedNonces: [] })) };
      const real = decideNonces(
        {
          savepoint: { desired: inputs.savepointNonce, processed: processedSp },
          restart: { desired: inputs.restartNonce, processed: processedRs },
        },
        { spec: d.spec.state, actual: d.status?.state },
      );
      const result = await processNonces(client, ctx, inputs, ref, real, d, deadline);
      d = result.d;
      const sp = real.find((x) => x.kind === 'savepoint')!;
      const rs = real.find((x) => x.kind === 'restart')!;
      return {
        outs: clean(
          partial(d, {
            blockedNonces: result.blocked,
            ...(result.lastSavepoint ? { lastSavepoint: result.lastSavepoint } : {}),
            ...(sp.record !== undefined ? { lastProcessedSavepointNonce: sp.record } : {}),
            ...(rs.record !== undefined ? { lastProcessedRestartNonce: rs.record } : {}),
          }),
        ),
      };
    } catch (err) {
      if (!d) throw err;
      throw new ResourceInitError(
        messageOf(err),
        id,
        { ...clean(partial(d)), [PROVIDER_KEY]: news[PROVIDER_KEY] },
        [messageOf(err)],
        { cause: err },
      );
    }
  }

  async function read(id: string, props: Record<string, unknown>) {
    const inputs = inputsOf(props);
    const { client, subject } = contextFor(inputs);
    const ref = refOf(inputs);
    const d = await client.findDeployment(ref.namespace, ref.name);
    if (!d || d.metadata.id !== id) {
      deps.log.warn(
        `${subject}: the deployment ${id} no longer exists in VVP; it is removed from the stack and the next \`pulumi up\` creates it again`,
      );
      return { id: '' };
    }
    const obs = observed(inputs, d);
    const before = props.lastObserved as Deployment | undefined;
    let deployment: CrDeployment = inputs.deployment;
    const paths = before ? driftPaths(before, obs.lastObserved!) : [];
    if (before && paths.length > 0) {
      deps.log.warn(
        `${subject}: changed outside Pulumi at ${paths.join(', ')}; \`pulumi up\` projects the program's values again`,
      );
      deployment = overlayDrift(ref.deployment, before, obs.lastObserved!);
    }
    const outputs: Record<string, unknown> = { ...props, ...obs, deployment };
    delete outputs[PROVIDER_KEY];
    return { id, props: clean(outputs), inputs: clean({ ...inputs, deployment }) };
  }

  async function remove(id: string, props: Record<string, unknown>) {
    const inputs = inputsOf(props);
    const { client, ctx, subject } = contextFor(inputs);
    const ref = refOf(inputs);
    const policy = inputs.deletionPolicy ?? DEFAULT_DELETION_POLICY;
    if (policy === 'retain') {
      deps.log.info(
        `${subject}: deletionPolicy retain: the deployment ${id} stays in VVP and is no longer managed by this stack`,
      );
      return;
    }
    let d = await client.findDeployment(ref.namespace, ref.name);
    if (!d || d.metadata.id !== id) return; // gone already (404 counts as done)
    const deadline = deadlineOf(inputs);
    const ownership = ownershipOf(inputs, ref);
    const setState = async (state: 'CANCELLED' | 'SUSPENDED') => {
      const from = d!.spec.state;
      const next = await client.patchDeployment(
        ref.namespace,
        ref.name,
        buildPatchBody(buildStatePatch(state), ownership),
      );
      deps.log.info(`${subject}: set the spec state to ${state} before deleting`);
      await recordEvent(
        client,
        subject,
        ref.namespace,
        next.metadata.id,
        projectedMessage('Pulumi', 'PATCH', { from, to: state }),
      );
      return next;
    };
    const actual = d.status?.state;
    if (!isInactive(actual)) {
      if (policy === 'requireInactive') {
        throw new VvpError(
          `${subject}: the deployment is ${actual ?? 'in an unknown state'}; deletionPolicy requireInactive deletes only inactive deployments (CANCELLED, SUSPENDED, FAILED, FINISHED). ` +
            'Set deployment.spec.state to "CANCELLED" and run `pulumi up` (it waits for CANCELLED), then destroy again; ' +
            'or set deletionPolicy to "cancel" or "suspend" and run `pulumi up` so that destroy stops the job first',
        );
      }
      const target = policy === 'suspend' ? 'SUSPENDED' : 'CANCELLED';
      if (d.spec.state !== target) d = await setState(target);
      d = await waitForState(ctx, ref, {
        desired: target,
        deadline,
        initial: d,
        staleState: actual,
        goal: `actual state ${target} before deleting`,
      });
    }
    // VVP deletes only with spec state CANCELLED or SUSPENDED: a FAILED/FINISHED deployment still meant to run is cancelled first
    if (needsCancelBeforeDelete(d.spec.state)) d = await setState('CANCELLED');
    try {
      await client.deleteDeployment(ref.namespace, ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    deps.log.info(`${subject}: deleted deployment ${id}`);
  }

  return { check, diff, create, read, update, delete: remove };
}
