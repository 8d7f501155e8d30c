/**
 * The JSON-schema part of `validate`: the spec schema compiled by ajv ahead of time (scripts/generate.js), its
 * errors rendered as issues.
 */
import type { ErrorObject } from 'ajv';
import { formatPath, getPath } from './json';
import { validateSpecSchema } from './model/generated-validator';
import { show } from './validate-input';

type Report = (path: string, code: string, text: string) => void;

/** Nonces have their own rule in validate (integer within ±2^53); the schema's type error would repeat it. */
const NONCE_PATHS = new Set(['savepointNonce', 'restartNonce']);
const schemaKey = (e: ErrorObject) =>
  e.keyword === 'required'
    ? `${e.instancePath}/${String((e.params as { missingProperty?: string }).missingProperty)}`
    : e.instancePath;

/**
 * Reports the schema errors of a spec, one per value (ajv reports type and enum of one value apart); stops
 * rendering once `full()` says so and returns how many were left unrendered.
 */
export function schemaIssues(spec: unknown, at: (p: string) => string, error: Report, full: () => boolean): number {
  if (validateSpecSchema(spec)) return 0;
  let omitted = 0;
  const seen = new Set<string>();
  for (const e of validateSpecSchema.errors ?? []) {
    const key = schemaKey(e);
    if (NONCE_PATHS.has(e.instancePath.slice(1)) || seen.has(key)) continue;
    seen.add(key);
    if (full()) omitted++;
    else schemaIssue(e, spec, at, error);
  }
  return omitted;
}

function schemaIssue(
  e: ErrorObject,
  spec: unknown,
  at: (p: string) => string,
  error: (path: string, code: string, text: string) => void,
): void {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  const rel = formatPath(parts);
  const path = at(rel);
  const value = e.keyword === 'required' ? undefined : getPath(spec, parts);
  switch (e.keyword) {
    case 'required':
      error(path, 'required', `\`${rel}\` is required`);
      return;
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ');
      error(path, 'enum', `\`${rel}\` must be one of ${allowed} (got ${show(value)})`);
      return;
    }
    case 'type':
      error(path, 'type', `\`${rel}\` must be of type ${(e.params as { type: string }).type} (got ${show(value)})`);
      return;
    default:
      error(path, e.keyword, `\`${rel}\` ${e.message ?? 'is invalid'} (got ${show(value)})`);
  }
}
