/** Drift between a desired definition and the deployment VVP holds: what a refresh reports, per sync mode. */
import {
  clone,
  differingPaths,
  dropEmpty,
  formatPath,
  getPath,
  leafPaths,
  pickPaths,
  setPath,
  type JsonObject,
} from './json';
import { OWNER_LABEL, RESTART_NONCE_ANNOTATION, isSystemAnnotation, type VvpDeployment } from './model/deployment';
import type { Deployment } from './model/generated';

/** Metadata keys VVP fills in itself; never part of a definition. */
const SERVER_METADATA = new Set(['id', 'createdAt', 'modifiedAt', 'resourceVersion']);

/**
 * The definition a user would write for an observed deployment: server metadata, status, the ownership stamp
 * (owner label, system annotations) and the restart-nonce template annotation are left out; `description` is kept
 * only when `withDescription` is set (PUT never changes it, so it is no part of a PUT definition).
 */
export function observedDefinition(actual: VvpDeployment, options: { withDescription: boolean }): Deployment {
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(actual.metadata)) {
    if (SERVER_METADATA.has(key) || value === undefined) continue;
    if (key === 'description' && !options.withDescription) continue;
    metadata[key] = value;
  }
  const labels = Object.fromEntries(Object.entries(actual.metadata.labels ?? {}).filter(([k]) => k !== OWNER_LABEL));
  const annotations = Object.fromEntries(
    Object.entries(actual.metadata.annotations ?? {}).filter(([k]) => !isSystemAnnotation(k)),
  );
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const spec = clone(actual.spec ?? {}) as JsonObject;
  const template = spec.template as JsonObject | undefined;
  const templateMeta = template?.metadata as JsonObject | undefined;
  const templateAnnotations = templateMeta?.annotations as Record<string, string> | undefined;
  if (template && templateMeta && templateAnnotations) {
    delete templateAnnotations[RESTART_NONCE_ANNOTATION];
    if (Object.keys(templateAnnotations).length === 0) delete templateMeta.annotations;
    if (Object.keys(templateMeta).length === 0) delete template.metadata;
  }
  return { metadata, spec } as Deployment;
}

/** The leaves of `source` that `desired` names (absent where `source` lacks them): what PATCH mode manages. */
export function pickNamedLeaves(source: unknown, desired: unknown): Deployment {
  return pickPaths(source, leafPaths(desired)) as Deployment;
}

/** The leaves whose values differ between two definitions, as text (`spec.template.spec.flinkConfiguration["a.b"]`). */
export function driftPaths(before: Deployment, after: Deployment): string[] {
  return differingPaths(before, after).map(formatPath).sort();
}

/**
 * The desired definition with every leaf that changed in VVP between two observations (`before`, `now`) taken
 * from `now` (removed where VVP dropped it): what the inputs become after a refresh, so the next diff shows
 * exactly the out-of-band changes.
 */
export function overlayDrift(desired: Deployment, before: Deployment, now: Deployment): Deployment {
  const out = clone(desired ?? {}) as JsonObject;
  for (const path of differingPaths(before, now)) setPath(out, path, getPath(now, path));
  return dropEmpty(out) as Deployment;
}
