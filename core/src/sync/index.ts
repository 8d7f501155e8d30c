/** The sync-mode strategy table: everything that differs between PATCH and PUT lives here. */
import type { Deployment, SyncingMode } from '../model/generated';
import type { VvpDeployment } from '../model/deployment';
import type { Ownership } from '../ownership';
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
  },
  PUT: {
    createMethod: 'PUT',
    projectMethod: 'PUT',
    readsBeforeProject: true,
    usesInitFields: false,
    createBody: (deployment, _initFields, ownership) => buildPutBody(deployment, undefined, ownership),
    projectBody: buildPutBody,
  },
};

export * from './bodies';
export * from './resolve';
