/**
 * Secret values of a namespace (`/api/v1/namespaces/{ns}/secret-values`). `spec.value` is write-only: no answer,
 * error message or request-log entry ever contains it; it is kept in memory and, with --data-dir, in the state
 * file (mode 0600), because a restarted emulator must still have it (ADR 0010).
 */
import { HttpError } from './errors';
import { copy, mergePatch, show, type Json } from './json';
import { SECRET_NAME, SECRET_VALUE } from './model';
import { namespaceOf, newMetadata, now, type Namespace, type PlatformState } from './state';
import { checkFields, objectOrAbsent } from './validate';

/** The secret kinds the emulator accepts. */
export const SECRET_KINDS = ['Plain'] as const;

const secretsOf = (ns: Namespace): Map<string, Json> => (ns.secretValues ??= new Map());
const metaOf = (v: Json): Json => v.metadata as Json;

/** The answer form of a secret value: everything but `spec.value`. */
export function view(v: Json): Json {
  const { value: _value, ...spec } = v.spec as Json;
  return { ...copy({ ...v, spec: undefined }), spec: copy(spec) };
}

function find(s: PlatformState, namespace: string, name: string): Json {
  const v = secretsOf(namespaceOf(s, namespace)).get(name);
  if (!v) throw new HttpError(404, `Secret value '${name}' does not exist in namespace '${namespace}'`);
  return v;
}

export const listSecrets = (s: PlatformState, namespace: string): Json[] =>
  [...secretsOf(namespaceOf(s, namespace)).values()].map(view);

export const getSecret = (s: PlatformState, namespace: string, name: string): Json => view(find(s, namespace, name));

/** Checks a write; `spec.value` is checked first and never shown. */
function check(s: PlatformState, namespace: string, body: Json, create: boolean): { meta: Json; spec: Json } {
  const meta = objectOrAbsent(body, 'metadata') ?? {};
  const spec = objectOrAbsent(body, 'spec') ?? {};
  if (spec.value !== undefined && typeof spec.value !== 'string')
    throw new HttpError(
      400,
      `Invalid spec.value (${spec.value === null ? 'null' : typeof spec.value}, not shown): must be a string`,
    );
  if (create && (typeof spec.value !== 'string' || spec.value === ''))
    throw new HttpError(400, 'spec.value is required: send the secret as a non-empty string');
  checkFields(body, SECRET_VALUE, '', s.model.unknownFields);
  if (meta.namespace !== undefined && meta.namespace !== namespace)
    throw new HttpError(
      400,
      `metadata.namespace ${show(meta.namespace)} does not match the path namespace '${namespace}'`,
    );
  if ((create || spec.kind !== undefined) && !SECRET_KINDS.includes(spec.kind as 'Plain'))
    throw new HttpError(400, `Invalid spec.kind ${show(spec.kind)}: use Plain (the only kind the emulator keeps)`);
  return { meta, spec };
}

/** POST: creates a secret value (201); 409 when the name exists. */
export function createSecret(s: PlatformState, namespace: string, body: Json): Json {
  const { meta, spec } = check(s, namespace, body, true);
  const name = meta.name;
  if (typeof name !== 'string' || !SECRET_NAME.test(name))
    throw new HttpError(
      400,
      `Invalid metadata.name ${show(name)}: use 1 to 253 characters of [-_.0-9a-zA-Z], starting and ending with a letter or digit`,
    );
  const all = secretsOf(namespaceOf(s, namespace));
  if (all.has(name)) throw new HttpError(409, `Secret value '${name}' already exists in namespace '${namespace}'`);
  const v: Json = {
    kind: 'SecretValue',
    apiVersion: 'v1',
    metadata: newMetadata(s, namespace, name, meta),
    spec: { kind: spec.kind, value: spec.value },
  };
  all.set(name, v);
  s.changed();
  return view(v);
}

/** PATCH: merges labels and annotations, replaces kind and value. */
export function patchSecret(s: PlatformState, namespace: string, name: string, body: Json): Json {
  const v = find(s, namespace, name);
  const { meta, spec } = check(s, namespace, body, false);
  if (meta.name !== undefined && meta.name !== name)
    throw new HttpError(400, `metadata.name is immutable (is '${name}', got ${show(meta.name)})`);
  const m = metaOf(v);
  v.metadata = {
    ...m,
    labels: mergePatch(m.labels, meta.labels ?? {}),
    annotations: mergePatch(m.annotations, meta.annotations ?? {}),
    modifiedAt: now(s),
    resourceVersion: Number(m.resourceVersion) + 1,
  };
  v.spec = {
    ...(v.spec as Json),
    ...(spec.kind !== undefined ? { kind: spec.kind } : {}),
    ...(spec.value !== undefined ? { value: spec.value } : {}),
  };
  s.changed();
  return view(v);
}

/** DELETE: answers the deleted secret value (without its value). */
export function deleteSecret(s: PlatformState, namespace: string, name: string): Json {
  const v = find(s, namespace, name);
  secretsOf(namespaceOf(s, namespace)).delete(name);
  s.changed();
  return view(v);
}

/** The saved form (with the values: see the file comment) and its restore. */
export const snapshotSecrets = (ns: Namespace): Json[] => [...secretsOf(ns).values()];

export function restoreSecrets(ns: Namespace, saved: unknown): void {
  for (const v of Array.isArray(saved) ? (saved as Json[]) : []) secretsOf(ns).set(String(metaOf(v).name), v);
}
