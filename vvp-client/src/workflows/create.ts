/** Create, or adopt what exists under the name: the one sequence of contract section 3 for every entry point. */
import { VvpError } from '../../../core/src/errors';
import { createdMessage } from '../../../core/src/events';
import type { DeploymentRef, VvpDeployment } from '../../../core/src/model/deployment';
import type { Deployment, SyncingMode } from '../../../core/src/model/generated';
import { decideExisting, describeOwner, isOwnedBy, type Ownership } from '../../../core/src/ownership';
import { syncModes } from '../../../core/src/sync/index';
import { isConflict } from '../errors';
import { eventTarget, recordEvent, reportKept, type WorkflowContext } from './context';
import { explainRefusal } from './refusal';

/** A deployment with the name exists and carries no stamp of this manager (and adoption was not asked for). */
export class NameConflictError extends VvpError {
  override name = 'NameConflictError';
  constructor(message: string) {
    super(message, { source: 'vvp' });
  }
}

/** How a deployment came to be managed: created now, found with our own stamp (crash recovery), or adopted. */
export type CreateHow = 'created' | 'own' | 'adopted';

/** What an existing deployment is decided against. */
export interface AdoptionRequest {
  ref: DeploymentRef;
  ownership: Ownership;
  /** The user asked to take over a foreign deployment. */
  adopt: boolean;
  /** How this entry point's user asks for adoption, e.g. `set \`adopt: true\``; ends the NameConflict message. */
  adoptHint: string;
}

/** The NameConflict message, worded once for every entry point. */
export function nameConflictMessage(request: AdoptionRequest, existing: VvpDeployment | undefined): string {
  const { namespace, name } = request.ref;
  const owner = existing ? ` and is ${describeOwner(existing)}` : '';
  return `deployment ${namespace}/${name} already exists in VVP${owner}; it was not touched. Choose another name, or ${request.adoptHint} to take it over`;
}

/** Ours (same stamp) or adopted on request; anything else throws NameConflictError. Makes no call. */
export function adoptOrConflict(request: AdoptionRequest, existing: VvpDeployment): Exclude<CreateHow, 'created'> {
  if (decideExisting(existing, request.ownership, { adopt: request.adopt }) === 'conflict')
    throw new NameConflictError(nameConflictMessage(request, existing));
  return isOwnedBy(existing, request.ownership) ? 'own' : 'adopted';
}

/** What to create. */
export interface CreateRequest extends AdoptionRequest {
  mode: SyncingMode;
  desired: Deployment;
  /** Creation-only fields (PATCH mode). */
  initFields?: Deployment | undefined;
  /** The caller looked the name up already and found nothing: go straight to the create. */
  knownAbsent?: boolean;
}

/**
 * Looks the name up, creates the deployment when it is absent (POST or PUT, as the sync mode says) and posts the
 * "created" VVP event; an existing deployment, or a 409 because someone created it in between, is decided by
 * `adoptOrConflict`. An adopted deployment is returned as VVP holds it: projecting onto it is the caller's next step.
 */
export async function createOrAdopt(
  ctx: WorkflowContext,
  request: CreateRequest,
): Promise<{ deployment: VvpDeployment; how: CreateHow }> {
  const { ref } = request;
  const existing = request.knownAbsent ? undefined : await ctx.client.findDeployment(ref.namespace, ref.name);
  if (existing) return { deployment: existing, how: adoptOrConflict(request, existing) };
  const strategy = syncModes[request.mode];
  const body = strategy.createBody(
    request.desired,
    strategy.usesInitFields ? request.initFields : undefined,
    request.ownership,
  );
  let created: VvpDeployment;
  try {
    created =
      strategy.createMethod === 'PUT'
        ? await ctx.client.putDeployment(ref.namespace, ref.name, body)
        : await ctx.client.createDeployment(ref.namespace, body);
  } catch (err) {
    if (!isConflict(err, 'vvp')) throw await explainRefusal(ctx, ref.namespace, request.desired, err);
    // someone created it between our look-up and our create: the same rules as for any existing deployment
    const found = await ctx.client.findDeployment(ref.namespace, ref.name);
    if (!found) throw new NameConflictError(nameConflictMessage(request, undefined));
    return { deployment: found, how: adoptOrConflict(request, found) };
  }
  reportKept(ctx, body, created);
  await recordEvent(ctx, eventTarget(created), createdMessage(ctx.actor));
  return { deployment: created, how: 'created' };
}
