/** Ownership stamps: who manages a deployment, and whether an existing deployment is ours. */
import {
  ADOPT_ANNOTATION,
  CR_UID_ANNOTATION,
  OWNER_LABEL,
  PULUMI_OWNER,
  URN_ANNOTATION,
  type VvpDeployment,
} from './model/deployment';

/** The stamp every write carries: owner label plus a back reference (CR uid or Pulumi URN). */
export interface Ownership {
  /** Owner label value: the operator instanceId, or `pulumi`. */
  owner: string;
  /** Annotation key of the back reference. */
  refKey: string;
  /** Back reference value. */
  refValue: string;
}

/** Ownership of a deployment managed by an operator instance for one CR. */
export function operatorOwnership(instanceId: string, crUid: string): Ownership {
  return { owner: instanceId, refKey: CR_UID_ANNOTATION, refValue: crUid };
}

/** Ownership of a deployment managed by a Pulumi resource. */
export function pulumiOwnership(urn: string): Ownership {
  return { owner: PULUMI_OWNER, refKey: URN_ANNOTATION, refValue: urn };
}

/** Labels and annotations to merge into `metadata` on every write. */
export function ownershipStamp(ownership: Ownership): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  return { labels: { [OWNER_LABEL]: ownership.owner }, annotations: { [ownership.refKey]: ownership.refValue } };
}

/** What to do with a deployment found under the name we are about to create. */
export type ExistingDecision = 'adopt' | 'conflict';

/**
 * Decides about an existing deployment: ours (same owner and back reference) is adopted (crash recovery);
 * anything else is a NameConflict unless adoption was asked for explicitly.
 */
export function decideExisting(
  existing: VvpDeployment,
  ownership: Ownership,
  options: { adopt: boolean },
): ExistingDecision {
  if (isOwnedBy(existing, ownership) || options.adopt) return 'adopt';
  return 'conflict';
}

/** True when the deployment carries exactly this stamp. */
export function isOwnedBy(existing: VvpDeployment, ownership: Ownership): boolean {
  return (
    existing.metadata.labels?.[OWNER_LABEL] === ownership.owner &&
    existing.metadata.annotations?.[ownership.refKey] === ownership.refValue
  );
}

/** True when a CR asks to adopt an existing deployment (`ververica.platform/adopt: "true"`). */
export function wantsAdoption(annotations: Record<string, string> | undefined): boolean {
  return annotations?.[ADOPT_ANNOTATION] === 'true';
}

/** A human description of who owns a deployment, for conflict messages. */
export function describeOwner(existing: VvpDeployment): string {
  const owner = existing.metadata.labels?.[OWNER_LABEL];
  return owner ? `owned by "${owner}"` : 'not managed by vvp-iac';
}

/**
 * The instanceId rule: it is the value of the owner label, so a Kubernetes label value that is not empty — at most
 * 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit.
 */
export const INSTANCE_ID_PATTERN = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** What is wrong with an instanceId (`${what} ...` as a sentence), or undefined when it is valid. */
export function instanceIdProblem(what: string, value: string | undefined): string | undefined {
  if (!value) return `${what} is empty; set the operator instance id CRs are labelled with`;
  if (INSTANCE_ID_PATTERN.test(value)) return undefined;
  return `${what} ${JSON.stringify(value)} is not a valid label value; use at most 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit`;
}
