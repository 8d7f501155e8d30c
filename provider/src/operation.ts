/** What every lifecycle call (create, read, update, delete) shares: one context built from the inputs. */
import {
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  notKeptReport,
  type Deployment,
  type DeploymentRef,
  type Ownership,
  type VvpDeployment,
} from '../../core/src/index';
import type { VvpClient, WorkflowContext } from '../../vvp-client/src/index';
import { resolveConnection, type ConfigSource, type Connection } from './connection';
import { inputsOf, ownershipOf, refOf, subjectFor } from './inputs';
import type { ProviderInputs } from './types';
import type { ProviderLog, WaitContext } from './wait';

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
  /** Poll intervals of waits, in ms. @default { initial: 200, max: 2000 } */
  pollMs?: { initial: number; max: number };
  /** Interval of progress lines during a wait, in ms. @default 10000 */
  progressMs?: number;
}

/** The context of one lifecycle call. */
export interface Operation {
  deps: HandlerDeps;
  inputs: ProviderInputs;
  ref: DeploymentRef & { deployment: Deployment };
  subject: string;
  ownership: Ownership;
  client: VvpClient;
  /** For the bounded waits. */
  wait: WaitContext;
  /** For the shared VVP workflows. */
  flow: WorkflowContext;
  /** When every wait of this call ends, in ms since the epoch. */
  deadline: number;
  /** waitFor.state is not false. */
  waitsForState: boolean;
  /** The fields the last write of this call sent and VVP did not keep (unset: no write of the definition). */
  kept: { paths?: string[] };
  now: () => number;
}

/** Builds the context of a lifecycle call from its property bag. */
/** The clock, sleep and polling of one provider call's waits (deployment and platform resources alike). */
export function waitContextFor(deps: HandlerDeps, client: VvpClient, subject: string): WaitContext {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    client,
    log: deps.log,
    sleep,
    now,
    subject,
    pollMs: deps.pollMs ?? { initial: 200, max: 2000 },
    ...(deps.progressMs !== undefined ? { progressMs: deps.progressMs } : {}),
  };
}

export function operationFor(deps: HandlerDeps, props: Record<string, unknown>): Operation {
  const inputs = inputsOf(props);
  // the definition is normalised once per call: ref.deployment is what every step reads
  const ref = refOf(inputs);
  const subject = subjectFor(ref.deployment);
  const now = deps.now ?? Date.now;
  const connection = resolveConnection(inputs, { env: deps.env, config: deps.config?.(), subject });
  const client = deps.clientFor(connection);
  const kept: { paths?: string[] } = {};
  return {
    deps,
    inputs,
    ref,
    subject,
    ownership: ownershipOf(inputs, ref),
    client,
    wait: waitContextFor(deps, client, subject),
    flow: {
      client,
      actor: 'Pulumi',
      subject,
      warn: (m) => deps.log.warn(m),
      info: (m) => deps.log.info(m),
      fieldsNotKept: (paths) => (kept.paths = paths),
    },
    kept,
    deadline: now() + (inputs.waitFor?.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000,
    waitsForState: inputs.waitFor?.state !== false,
    now,
  };
}

/**
 * The `fieldsNotKept` output after this call: the set its last write produced (said once, as a warning, when it
 * appeared or changed: ADR 0011), else the set recorded before (`recorded`, from the old outputs).
 */
export function keptOutputs(op: Operation, recorded: unknown): { fieldsNotKept?: string[] } {
  const before = Array.isArray(recorded) ? (recorded as string[]) : undefined;
  const { report, record } = notKeptReport(before, op.kept.paths);
  if (report) op.deps.log.warn(`${op.subject}: ${report}`);
  return record ? { fieldsNotKept: record } : {};
}

/** A wait condition: VVP reports a running job other than `previousJob` (after a restart or an upgrade). */
export const runsAnotherJobThan =
  (previousJob: string | undefined) =>
  (d: VvpDeployment): boolean =>
    d.status?.running?.jobId !== undefined && d.status.running.jobId !== previousJob;
