/** Drift between a desired definition and the deployment VVP holds: what a refresh reports, per sync mode. */
import { getPath, isPlainObject, leafPaths, type JsonObject } from './merge';
import { OWNER_LABEL, RESTART_NONCE_ANNOTATION, isSystemAnnotation, type VvpDeployment } from './model/deployment';
import type { Deployment, SyncingMode } from './model/generated';

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
  const annotations = Object.fromEntries(Object.entries(actual.metadata.annotations ?? {}).filter(([k]) => !isSystemAnnotation(k)));
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const spec = JSON.parse(JSON.stringify(actual.spec ?? {})) as JsonObject;
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

/** Copies the values `source` holds at `paths` into a new object (paths missing in `source` are left out). */
function pick(source: unknown, paths: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const path of paths) {
    const value = getPath(source, path);
    if (value === undefined) continue;
    const keys = path.split('.');
    let cur = out;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(cur[key])) cur[key] = {};
      cur = cur[key] as JsonObject;
    }
    cur[keys[keys.length - 1]!] = JSON.parse(JSON.stringify(value));
  }
  return out;
}

/** How each sync mode reads back its definition: PATCH manages the fields it names, PUT manages all fields. */
const refreshModes: Record<SyncingMode, (desired: Deployment, actual: VvpDeployment) => Deployment> = {
  PATCH: (desired, actual) => pick(observedDefinition(actual, { withDescription: true }), leafPaths(desired)) as Deployment,
  PUT: (_desired, actual) => observedDefinition(actual, { withDescription: false }),
};

/**
 * The definition as VVP holds it, seen through a sync mode: in PATCH mode only the leaves the desired definition
 * names (VVP's values there, absent when VVP dropped them); in PUT mode the whole observed definition.
 */
export function refreshedDefinition(mode: SyncingMode, desired: Deployment, actual: VvpDeployment): Deployment {
  return refreshModes[mode](desired, actual);
}

/** Dotted paths whose values differ between two definitions (leaves of either side). */
export function driftPaths(desired: Deployment, refreshed: Deployment): string[] {
  const paths = new Set([...leafPaths(desired), ...leafPaths(refreshed)]);
  return [...paths].filter((p) => JSON.stringify(getPath(desired, p)) !== JSON.stringify(getPath(refreshed, p))).sort();
}

/**
 * A canonical text of everything a definition of the deployment could name (sorted keys), to tell whether the
 * deployment changed since it was last written; status and server metadata do not take part.
 */
export function definitionFingerprint(actual: VvpDeployment): string {
  return canonical(observedDefinition(actual, { withDescription: true }));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
