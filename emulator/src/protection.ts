/**
 * VVP 3 refuses API edits of deployments its Kubernetes operator manages (fidelity row M27, ADR 0009). The emulator's rule
 * (ADR 0009), on when the profile has `writeProtection`: a deployment whose `ververica.platform/owner` label names
 * an operator instance (any value but `pulumi`, core/src/ownership.ts) may be written (PATCH, PUT, DELETE,
 * savepoint POST) only by its manager: the API caller whose write put the label on (normally the one that created
 * it). Anyone else gets 403 naming the owner. Callers are told apart by token: the `--token` secret is one caller,
 * each API token another, and without `--token` every request is the one anonymous caller, so nothing is refused.
 * In-process Store calls (tests acting as "someone in the VVP UI") pass no caller and are never refused.
 */
import { OWNER_LABEL, PULUMI_OWNER, type VvpDeployment } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import type { DeploymentRecord, PlatformState } from './state';

/** The caller of a request without --token. */
export const ANONYMOUS = 'anonymous';
/** The caller holding the --token secret. */
export const PLATFORM_ADMIN = 'the platform admin token (--token)';

/** The operator instance an owner label names (any value but `pulumi`, as core/src/ownership.ts stamps it). */
export function operatorInstanceOf(d: Pick<VvpDeployment, 'metadata'>): string | undefined {
  const owner = d.metadata.labels?.[OWNER_LABEL];
  return owner && owner !== PULUMI_OWNER ? owner : undefined;
}

/** Refuses a write by `caller` to an operator-managed deployment it does not manage (403). */
export function checkWrite(s: PlatformState, rec: DeploymentRecord, caller: string | undefined, what: string): void {
  if (!s.profile.writeProtection || caller === undefined || rec.manager === undefined) return;
  const owner = operatorInstanceOf(rec.deployment);
  if (owner === undefined || caller === rec.manager) return;
  const name = rec.deployment.metadata.name;
  throw new HttpError(
    403,
    `Deployment '${name}' is managed by the Kubernetes operator '${owner}' (label ${OWNER_LABEL}); ${s.profile.name} refuses to ${what} it through the API: change its VvpDeployment custom resource instead (only ${rec.manager}, which made it operator-managed, may write it)`,
  );
}

/**
 * After an accepted write (`before` is the stored deployment, undefined for a create): a write that puts the
 * owner label on, or changes it, makes its caller the manager (an in-process write: no manager).
 */
export function noteManager(
  rec: DeploymentRecord,
  before: VvpDeployment | undefined,
  caller: string | undefined,
): void {
  const owner = operatorInstanceOf(rec.deployment);
  if (owner === undefined) delete rec.manager;
  else if (!before || operatorInstanceOf(before) !== owner) {
    if (caller !== undefined) rec.manager = caller;
    else delete rec.manager;
  }
}
