/** The context of one lifecycle call of a platform resource, and the handler shape each resource implements. */
import {
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  VvpError,
  platformSubject,
  resolveInputs,
  type PlatformRules,
} from '../../../core/src/index';
import { platformApi, type PlatformApi, type VvpClient } from '../../../vvp-client/src/index';
import { resolveConnection } from '../connection';
import { waitContextFor, type HandlerDeps } from '../operation';
import type { WaitContext } from '../wait';

/** One lifecycle call of a platform resource. */
export interface PlatformOp {
  deps: HandlerDeps;
  /** The table's inputs with defaults applied. */
  inputs: Record<string, unknown>;
  subject: string;
  namespace: string;
  client: VvpClient;
  api: PlatformApi;
  wait: WaitContext;
  /** When every wait of this call ends, in ms since the epoch. */
  deadline: number;
}

/** What a platform resource does against VVP (check and diff come from its rules). */
export interface PlatformResource {
  rules: PlatformRules;
  create(op: PlatformOp): Promise<{ id: string; outs: Record<string, unknown> }>;
  /** `id: ''` when the object is gone. `inputs` are the inputs as VVP holds them (drift). */
  read(
    op: PlatformOp,
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(op: PlatformOp, id: string, olds: Record<string, unknown>): Promise<{ outs: Record<string, unknown> }>;
  delete(op: PlatformOp, id: string, props: Record<string, unknown>): Promise<void>;
}

/** An expected refusal of a platform operation (in use, unsupported): one message, no stack. */
export class PlatformRefusedError extends VvpError {
  override name = 'PlatformRefusedError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { source: 'validation', cause: options.cause });
  }
}

/** Builds the context from a property bag. */
export function platformOpFor(deps: HandlerDeps, rules: PlatformRules, props: Record<string, unknown>): PlatformOp {
  const inputs = resolveInputs(rules, props);
  const subject = platformSubject(rules, inputs);
  const now = deps.now ?? Date.now;
  const connection = resolveConnection(
    { baseUrl: inputs.baseUrl as string | undefined, apiToken: inputs.apiToken as string | undefined },
    { env: deps.env, config: deps.config?.(), subject },
  );
  const client = deps.clientFor(connection);
  const waitFor = (inputs.waitFor ?? {}) as { timeoutSeconds?: number };
  return {
    deps,
    inputs,
    subject,
    namespace: (inputs.namespace as string | undefined) ?? 'default',
    client,
    api: platformApi(client),
    wait: waitContextFor(deps, client, subject),
    deadline: now() + (waitFor.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000,
  };
}

/** Names of the deployments of a namespace that match, for messages (`orders, billing`). */
export async function deploymentsWhere(
  op: PlatformOp,
  match: (spec: Record<string, unknown>, d: { metadata: { id: string; name: string } }) => boolean,
): Promise<string[]> {
  const all = await op.client.listDeployments(op.namespace);
  return all.filter((d) => match((d.spec ?? {}) as Record<string, unknown>, d)).map((d) => d.metadata.name);
}
