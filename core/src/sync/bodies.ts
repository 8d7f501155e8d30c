/** Request bodies towards VVP: create, PATCH and PUT. Pure functions over the deployment model. */
import { deepMerge, formatPath, getPath, isPlainObject, leafPaths } from '../json';
import type { Deployment } from '../model/generated';
import { RESTART_NONCE_ANNOTATION, isSystemAnnotation, type VvpDeployment } from '../model/deployment';
import { ownershipStamp, type Ownership } from '../ownership';

/** Paths (relative to the deployment) that both `initFields` and the deployment set; the deployment wins there. */
export function initFieldsOverlap(deployment: Deployment, initFields: Deployment | undefined): string[] {
  if (!initFields) return [];
  return leafPaths(initFields)
    .filter((path) => {
      if (getPath(deployment, path) !== undefined) return true;
      // a leaf of initFields under a non-object leaf of the deployment also overlaps
      for (let i = 1; i < path.length; i++) {
        const v = getPath(deployment, path.slice(0, i));
        if (v !== undefined && !isPlainObject(v)) return true;
      }
      return false;
    })
    .map(formatPath);
}

/** Adds the ownership stamp to a deployment body. */
export function stamp(deployment: Deployment, ownership: Ownership): Deployment {
  return deepMerge(deployment, { metadata: ownershipStamp(ownership) });
}

/** The PATCH-mode creation body: `initFields` deep-merged under the deployment (the deployment wins), stamped. */
export function buildCreateBody(
  deployment: Deployment,
  initFields: Deployment | undefined,
  ownership: Ownership,
): Deployment {
  return stamp(deepMerge(initFields ?? {}, deployment), ownership);
}

/** The PATCH body: only the fields the deployment names, stamped. */
export function buildPatchBody(deployment: Deployment, ownership: Ownership): Deployment {
  return stamp(deployment, ownership);
}

/**
 * The PUT body: the full definition, stamped, with the current deployment's system annotations carried into
 * `metadata.annotations`, its restart-nonce template annotation kept, and its description kept (PUT never
 * changes the description).
 */
export function buildPutBody(
  deployment: Deployment,
  current: VvpDeployment | undefined,
  ownership: Ownership,
): Deployment {
  const body = stamp(deployment, ownership);
  if (!current) return body;
  const carried: Record<string, string> = {};
  for (const [key, value] of Object.entries(current.metadata.annotations ?? {})) {
    if (isSystemAnnotation(key)) carried[key] = value;
  }
  const metadata = { ...body.metadata, annotations: { ...carried, ...body.metadata?.annotations } };
  if (current.metadata.description !== undefined) metadata.description = current.metadata.description;
  else delete metadata.description;
  const result: Deployment = { ...body, metadata };
  const nonce = current.spec.template?.metadata?.annotations?.[RESTART_NONCE_ANNOTATION];
  if (nonce === undefined) return result;
  // the CR's own value of the annotation, if any, wins over the carried one
  return deepMerge(
    { spec: { template: { metadata: { annotations: { [RESTART_NONCE_ANNOTATION]: nonce } } } } },
    result,
  );
}

/** The PATCH body that restarts the job: a new value of the restart-nonce template annotation. */
export function buildRestartPatch(nonce: number): Deployment {
  return { spec: { template: { metadata: { annotations: { [RESTART_NONCE_ANNOTATION]: String(nonce) } } } } };
}

/** The PATCH body that changes only the desired state. */
export function buildStatePatch(state: 'RUNNING' | 'CANCELLED' | 'SUSPENDED'): Deployment {
  return { spec: { state } };
}
