/** Namespaces and API tokens of the platform (Platform API: /namespaces/v1, /apitokens/v1). */
import { randomUUID } from 'node:crypto';
import { HttpError } from './errors';
import { show, type Json } from './json';
import { NAME } from './model';
import { now, namespaceOf, type ApiToken, type Namespace, type PlatformState, type Role } from './state';
import { putTarget } from './targets';
import { checkFields } from './validate';

/**
 * Creates a namespace; with `--default-target NAME` it gets a deployment target NAME (Kubernetes namespace
 * `vvp-jobs` for VVP namespace `default`, else the namespace's name). Without it a namespace has no target, as
 * on a fresh VVP (ADR 0009).
 */
export function createNamespace(s: PlatformState, name: string): Json {
  if (!NAME.test(name) || name.length > 63)
    throw new HttpError(
      400,
      `Invalid namespace name ${show(name)}: use at most 63 characters of [-0-9a-z], not starting or ending with '-'`,
    );
  if (s.namespaces.has(name)) throw new HttpError(409, `Namespace '${name}' already exists`);
  const ns: Namespace = {
    name,
    createTime: now(s),
    lifecyclePhase: 'LIFECYCLE_PHASE_ACTIVE',
    roleBindings: [],
    defaults: {},
    targets: new Map(),
    deployments: new Map(),
    jobs: new Map(),
    savepoints: new Map(),
    events: [],
  };
  s.namespaces.set(name, ns);
  if (s.defaultTarget !== undefined)
    putTarget(s, name, s.defaultTarget, {
      spec: { kubernetes: { namespace: name === 'default' ? 'vvp-jobs' : name } },
    });
  s.changed();
  return namespaceView(ns);
}

/** Creates a namespace from a POST body `{name: "namespaces/<name>"}` (the prefix is optional). */
export function createNamespaceFromBody(s: PlatformState, body: Json): Json {
  checkFields(body, s.model.namespace, '', s.model);
  const name = typeof body.name === 'string' ? body.name.replace(/^namespaces\//, '') : '';
  if (!name) throw new HttpError(400, 'name is required: send {"name": "namespaces/<name>"}');
  return createNamespace(s, name);
}

/** The API view of a namespace. */
export function namespaceView(ns: Namespace): Json {
  return {
    name: `namespaces/${ns.name}`,
    createTime: ns.createTime,
    lifecyclePhase: ns.lifecyclePhase,
    roleBindings: ns.roleBindings,
  };
}

/** Deletes a namespace, everything in it, and its tokens. */
export function deleteNamespace(s: PlatformState, name: string): Json {
  const ns = namespaceOf(s, name);
  for (const rec of ns.deployments.values()) rec.cancel?.();
  s.namespaces.delete(name);
  for (const t of [...s.tokens.values()]) if (t.namespace === name) s.tokens.delete(t.secret);
  s.changed();
  return namespaceView(ns);
}

/** Creates an API token; the secret is returned only here. */
export function createToken(s: PlatformState, namespace: string, body: Json): Json {
  namespaceOf(s, namespace);
  checkFields(body, s.model.token, '', s.model);
  const fullName = typeof body.name === 'string' ? body.name : '';
  const prefix = `namespaces/${namespace}/apitokens/`;
  if (!fullName.startsWith(prefix) || fullName.length === prefix.length) {
    throw new HttpError(400, `Invalid name ${show(fullName)}: it must be fully qualified as '${prefix}<name>'`);
  }
  if (body.role === undefined) throw new HttpError(400, 'role is required: use viewer, editor or owner');
  if ([...s.tokens.values()].some((t) => t.name === fullName))
    throw new HttpError(409, `API token '${fullName}' already exists`);
  const token: ApiToken = {
    name: fullName,
    role: body.role as Role,
    secret: randomUUID(),
    createTime: now(s),
    namespace,
  };
  s.tokens.set(token.secret, token);
  s.changed();
  return { apiToken: { name: token.name, role: token.role, secret: token.secret, createTime: token.createTime } };
}

const tokenView = (t: ApiToken): Json => ({ name: t.name, role: t.role, createTime: t.createTime });

/** Lists tokens of a namespace without secrets. */
export function listTokens(s: PlatformState, namespace: string): Json {
  namespaceOf(s, namespace);
  return { apiTokens: [...s.tokens.values()].filter((t) => t.namespace === namespace).map(tokenView) };
}

/** One token without its secret. */
export function getToken(s: PlatformState, namespace: string, name: string): Json {
  return { apiToken: tokenView(findToken(s, namespace, name)) };
}

/** Deletes a token. */
export function deleteToken(s: PlatformState, namespace: string, name: string): Json {
  const t = findToken(s, namespace, name);
  s.tokens.delete(t.secret);
  s.changed();
  return { apiToken: tokenView(t) };
}

function findToken(s: PlatformState, namespace: string, name: string): ApiToken {
  namespaceOf(s, namespace);
  const full = `namespaces/${namespace}/apitokens/${name}`;
  const t = [...s.tokens.values()].find((x) => x.name === full);
  if (!t) throw new HttpError(404, `API token '${full}' does not exist`);
  return t;
}

/** The role a token secret grants in a namespace, if any. */
export function roleOf(s: PlatformState, secret: string, namespace: string): Role | undefined {
  const t = s.tokens.get(secret);
  return t && t.namespace === namespace ? t.role : undefined;
}
