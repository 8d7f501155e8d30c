/** The sync-mode strategy table: everything that differs between PATCH and PUT lives here. */
import { observedDefinition, pickNamedLeaves } from '../drift';
import { deepEqual, stableStringify } from '../json';
import type { Deployment, SyncingMode } from '../model/generated';
import type { VvpDeployment } from '../model/deployment';
import type { Ownership } from '../ownership';
import { coversDefinition } from '../projection';
import { buildCreateBody, buildPatchBody, buildPutBody } from './bodies';

/** How one sync mode creates and projects a deployment. */
export interface SyncStrategy {
  /** HTTP method of the creation request (POST creates; PUT upserts by name). */
  readonly createMethod: 'POST' | 'PUT';
  /** HTTP method of a projection. */
  readonly projectMethod: 'PATCH' | 'PUT';
  /** True when a projection must read the current deployment first (GET + PUT). */
  readonly readsBeforeProject: boolean;
  /** True when `initFields` take part in creation. */
  readonly usesInitFields: boolean;
  /** Body of the creation request. */
  createBody(deployment: Deployment, initFields: Deployment | undefined, ownership: Ownership): Deployment;
  /** Body of a projection; `current` is the deployment read before a PUT. */
  projectBody(deployment: Deployment, current: VvpDeployment | undefined, ownership: Ownership): Deployment;
  /** The definition as VVP holds it, seen through this mode (what a refresh compares). */
  refresh(desired: Deployment, actual: VvpDeployment): Deployment;
  /** True when projecting `desired` would change the deployment VVP holds. */
  projectionNeeded(desired: Deployment, actual: VvpDeployment): boolean;
}

/** The two sync modes. */
export const syncModes: Record<SyncingMode, SyncStrategy> = {
  PATCH: {
    createMethod: 'POST',
    projectMethod: 'PATCH',
    readsBeforeProject: false,
    usesInitFields: true,
    createBody: buildCreateBody,
    projectBody: (deployment, _current, ownership) => buildPatchBody(deployment, ownership),
    // PATCH manages the fields the definition names; VVP keeps the rest
    refresh: (desired, actual) => pickNamedLeaves(observedDefinition(actual, { withDescription: true }), desired),
    projectionNeeded: (desired, actual) =>
      !coversDefinition(observedDefinition(actual, { withDescription: true }), desired),
  },
  PUT: {
    createMethod: 'PUT',
    projectMethod: 'PUT',
    readsBeforeProject: true,
    usesInitFields: false,
    createBody: (deployment, _initFields, ownership) => buildPutBody(deployment, undefined, ownership),
    projectBody: buildPutBody,
    // PUT manages every field (defaults VVP filled in count as a difference, as a PUT resets them); never the description
    refresh: (_desired, actual) => observedDefinition(actual, { withDescription: false }),
    projectionNeeded: (desired, actual) =>
      !deepEqual(observedDefinition(actual, { withDescription: false }), {
        ...desired,
        metadata: { ...desired.metadata, description: undefined },
      }),
  },
};

/** The definition as VVP holds it, seen through a sync mode: PATCH the leaves the definition names, PUT everything. */
export function refreshedDefinition(mode: SyncingMode, desired: Deployment, actual: VvpDeployment): Deployment {
  return syncModes[mode].refresh(desired, actual);
}

/** True when projecting `desired` in `mode` would change the deployment VVP holds. */
export function projectionNeeded(mode: SyncingMode, desired: Deployment, actual: VvpDeployment): boolean {
  return syncModes[mode].projectionNeeded(desired, actual);
}

export * from './bodies';
export * from './resolve';

/**
 * A digest of what a projection sends: the sync mode and the deployment definition (FNV-1a, 64 bit, over the
 * key-sorted JSON). Equal digests mean a spec change touched only nonces or settings, which are never projected.
 */
export function definitionDigest(mode: SyncingMode, deployment: Deployment): string {
  const text = stableStringify({ mode, deployment });
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
