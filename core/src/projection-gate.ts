/**
 * The projection gate (contract section 5): given what the CR status recorded and what VVP holds, decide whether a
 * reconcile projects the definition, and what it records when it does not. Pure; the operator acts on the answer.
 */
import type { VvpDeployment } from './model/deployment';
import type { Deployment, SyncingMode } from './model/generated';
import { withoutPaths } from './kept-fields';
import { isOwnedBy, type Ownership } from './ownership';
import { definitionDigest, projectionNeeded } from './sync/index';

/** What the gate looks at. */
export interface ProjectionFacts {
  mode: SyncingMode;
  desired: Deployment;
  current: VvpDeployment;
  ownership: Ownership;
  /** metadata.generation of the CR. */
  generation: number | undefined;
  /** status.observedGeneration: the generation projected last. */
  observedGeneration: number | undefined;
  /** status.projectedDigest: the definition digest projected last. */
  projectedDigest: string | undefined;
  /** SpecAligned is ProjectionFailed for this generation (a VVP 4xx is retried only after a spec change). */
  failedThisGeneration: boolean;
  /** The deployment was created or adopted in this reconcile. */
  firstSight: boolean;
  /** The CR changed since our own last write (metadata or status by someone else). */
  changedByOthers: boolean;
  /** Paths VVP did not keep at the last write (status.fieldsNotKept): no reason to project (ADR 0011). */
  notKept?: readonly string[] | undefined;
}

/** The gate's answer; `digest` is the digest of the desired definition. */
export type ProjectionDecision = { digest: string } &
  /** Nothing to project: this generation was projected (or failed) and VVP's desired state matches. */
  (
    | { action: 'skip'; note: 'none' | 'metadata-only' }
    /** The spec changed, but not the definition (nonces, settings): record the generation, project nothing. */
    | { action: 'record'; why: 'no-projected-field' | 'in-sync' }
    /**
     * Project: a new generation, VVP's desired state drifted, or the deployment lacks our stamp. `driftOnly`: only
     * VVP's desired state moved (the generation was projected); `unstamped`: the stamp is missing (adoption).
     */
    | { action: 'project'; driftOnly: boolean; unstamped: boolean }
  );

/** Decides one projection. */
export function decideProjection(facts: ProjectionFacts): ProjectionDecision {
  const { desired, current } = facts;
  const digest = definitionDigest(facts.mode, desired);
  const generationChanged = facts.generation !== facts.observedGeneration;
  const stateDrift = desired.spec?.state !== undefined && current.spec.state !== desired.spec.state;
  const unstamped = !isOwnedBy(current, facts.ownership);
  if (!unstamped && (facts.failedThisGeneration || (!generationChanged && !stateDrift)))
    return { digest, action: 'skip', note: facts.changedByOthers ? 'metadata-only' : 'none' };
  if (generationChanged && !stateDrift && !unstamped && facts.projectedDigest === digest)
    return { digest, action: 'record', why: 'no-projected-field' };
  if (!unstamped && !projectionNeeded(facts.mode, withoutPaths(desired, facts.notKept), current))
    return { digest, action: 'record', why: 'in-sync' };
  return { digest, action: 'project', driftOnly: !generationChanged && stateDrift, unstamped };
}
