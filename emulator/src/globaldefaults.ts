/**
 * Global deployment defaults given to the emulator (`globalDefaults` / `--global-defaults FILE`), as an admin sets
 * them on a real VVP (Helm `globalDeploymentDefaults`): the spec of the defaults, bare or wrapped as
 * `{spec: ...}` (the Helm value's and `GET /api/v1/global-deployment-defaults`'s form). They replace the built-in
 * ones and are checked against the profile's model: a wrong type, or a field outside the model (unless unknown
 * fields are kept), is an error naming the source and the field path.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { copy, isObj, type Json } from './json';
import type { Model } from './model';
import { checkFields } from './validate';

const WRAPPER = ['kind', 'apiVersion', 'metadata', 'spec'];

/** The checked spec of global defaults from `value`; `source` names it in errors (a flag and file, or the option). */
export function checkGlobalDefaults(value: unknown, model: Model, source: string): Json {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (!isObj(value)) fail('the global defaults must be an object (the spec of the deployment defaults)');
  let spec = copy(value as Json);
  if (Object.hasOwn(spec, 'spec')) {
    const extra = Object.keys(spec).find((k) => !WRAPPER.includes(k));
    if (extra !== undefined)
      fail(`unknown field ${extra} beside spec: use {"spec": {...}} or the spec alone (state, template, ...)`);
    if (!isObj(spec.spec)) fail('spec must be an object');
    spec = spec.spec as Json;
  }
  const policy = { ...model, unknownFields: model.unknownFields === 'keep' ? 'keep' : 'reject' } as const;
  try {
    checkFields(spec, model.deploymentSpec, 'spec', policy);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  return spec;
}

/** Largest global-defaults file: far above any real defaults. */
export const MAX_GLOBAL_DEFAULTS_BYTES = 4 * 1024 * 1024;

/**
 * Reads global defaults from a JSON (`.json`) or YAML file: a regular file of at most MAX_GLOBAL_DEFAULTS_BYTES
 * (a device such as /dev/zero would never end); errors name the file.
 */
export function loadGlobalDefaults(file: string, model: Model): Json {
  const source = `--global-defaults ${file}`;
  const cannotRead = (err: unknown) =>
    new Error(`${source}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  let stat;
  try {
    stat = statSync(file);
  } catch (err) {
    throw cannotRead(err);
  }
  if (!stat.isFile())
    throw new Error(
      `${source}: not a regular file (${stat.isDirectory() ? 'a directory' : 'a device, FIFO or socket'}); pass a JSON or YAML file`,
    );
  if (stat.size > MAX_GLOBAL_DEFAULTS_BYTES)
    throw new Error(`${source}: ${stat.size} bytes, more than the limit of ${MAX_GLOBAL_DEFAULTS_BYTES}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw cannotRead(err);
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new Error(`${source}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return checkGlobalDefaults(value, model, source);
}
