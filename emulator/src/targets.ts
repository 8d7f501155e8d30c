/** Deployment targets and deployment defaults of a namespace. */
import { HttpError } from './errors';
import { copy, isObj, mergePatch, show, type Json } from './json';
import { TARGET_NAME } from './model';
import { now, namespaceOf, newMetadata, type PlatformState } from './state';
import { checkFields, checkType, objectOrAbsent } from './validate';

/** Lists deployment targets. */
export function listTargets(s: PlatformState, namespace: string): Json[] {
  return [...namespaceOf(s, namespace).targets.values()].map(copy);
}

/** Gets a deployment target by name. */
export function getTarget(s: PlatformState, namespace: string, name: string): Json {
  const t = namespaceOf(s, namespace).targets.get(name);
  if (!t) throw new HttpError(404, `Deployment target '${name}' does not exist in namespace '${namespace}'`);
  return copy(t);
}

/** Creates (POST) a deployment target. */
export function createTarget(s: PlatformState, namespace: string, body: Json): Json {
  const meta = objectOrAbsent(body, 'metadata');
  const name = meta?.name;
  if (typeof name !== 'string') throw new HttpError(400, `Invalid metadata.name ${show(name)}: it is required`);
  if (namespaceOf(s, namespace).targets.has(name))
    throw new HttpError(409, `Deployment target '${name}' already exists in namespace '${namespace}'`);
  return putTarget(s, namespace, name, body).body;
}

/** Creates or updates a deployment target; its spec is immutable. */
export function putTarget(
  s: PlatformState,
  namespace: string,
  name: string,
  body: Json,
): { created: boolean; body: Json } {
  if (!TARGET_NAME.test(name))
    throw new HttpError(
      400,
      `Invalid deployment target name ${show(name)}: use at most 250 characters of [0-9a-zA-Z-_]`,
    );
  const ns = namespaceOf(s, namespace);
  const meta = objectOrAbsent(body, 'metadata') ?? {};
  objectOrAbsent(body, 'spec');
  checkFields(body, s.model.target, '', s.model);
  const existing = ns.targets.get(name);
  if (existing) {
    if (body.spec !== undefined && JSON.stringify(body.spec) !== JSON.stringify(existing.spec)) {
      throw new HttpError(400, `Deployment target '${name}': spec is immutable; create a new target instead`);
    }
    const m = existing.metadata as Json;
    existing.metadata = {
      ...m,
      labels: meta.labels ?? m.labels,
      annotations: meta.annotations ?? m.annotations,
      modifiedAt: now(s),
      resourceVersion: Number(m.resourceVersion) + 1,
    };
    s.changed();
    return { created: false, body: copy(existing) };
  }
  const target: Json = {
    kind: 'DeploymentTarget',
    apiVersion: 'v1',
    metadata: newMetadata(s, namespace, name, meta),
    spec: body.spec ?? { kubernetes: { namespace } },
  };
  ns.targets.set(name, copy(target));
  s.changed();
  return { created: true, body: target };
}

/** Deletes a deployment target unless a deployment or session cluster references it by name or id (M14). */
export function deleteTarget(s: PlatformState, namespace: string, name: string): Json {
  const ns = namespaceOf(s, namespace);
  const t = getTarget(s, namespace, name);
  const id = (t.metadata as Json).id;
  const refers = (spec: Json | undefined) => spec?.deploymentTargetName === name || spec?.deploymentTargetId === id;
  const users = [
    ...[...ns.deployments.values()]
      .filter((r) => refers(r.deployment.spec as Json))
      .map((r) => `deployment '${r.deployment.metadata.name}'`),
    ...[...(ns.sessionClusters?.values() ?? [])]
      .filter((r) => refers(r.cluster.spec as Json))
      .map((r) => `session cluster '${String((r.cluster.metadata as Json).name)}'`),
  ];
  if (users.length > 0)
    throw new HttpError(
      409,
      `Deployment target '${name}' is referenced by ${users.join(', ')}; delete them or point them at another target first`,
    );
  ns.targets.delete(name);
  s.changed();
  return t;
}

/** The namespace's deployment defaults. */
export function getDefaults(s: PlatformState, namespace: string): Json {
  const ns = namespaceOf(s, namespace);
  return { kind: 'DeploymentDefaults', apiVersion: 'v1', metadata: { namespace }, spec: copy(ns.defaults) };
}

/** Merges a patch into the namespace's deployment defaults. */
export function patchDefaults(s: PlatformState, namespace: string, body: Json): Json {
  const ns = namespaceOf(s, namespace);
  const spec = objectOrAbsent(body, 'spec') ?? {};
  const next = mergePatch(ns.defaults, spec) as Json;
  checkType(next, s.model.deploymentSpec, 'spec', s.model);
  ns.defaults = next;
  s.changed();
  return getDefaults(s, namespace);
}

/** The global deployment defaults (built in, or `--global-defaults`). */
export function globalDefaults(s: PlatformState): Json {
  return { kind: 'DeploymentDefaults', apiVersion: 'v1', metadata: {}, spec: copy(s.globalDefaults) };
}

/** Global defaults, then namespace defaults, then the given spec. */
export function withDefaults(s: PlatformState, namespace: string, spec: unknown): Json {
  const ns = namespaceOf(s, namespace);
  return mergePatch(mergePatch(s.globalDefaults, ns.defaults), isObj(spec) ? spec : {}) as Json;
}
