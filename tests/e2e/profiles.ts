/**
 * The emulator profiles the core lifecycle of the provider and the operator runs in (issue 11): ONE table of rows,
 * each with its emulator options and the seed's deployment definition as that platform takes it, derived from
 * tests/fixtures/seed.ts (ADR 0009 for what differs).
 *
 *   describe.each(LIFECYCLE_PROFILES)('profile $name', (row) => { ... row.definition('orders') ... });
 */
import type { EmulatorOptions } from '../../emulator/src/index';
import { ENGINE_VERSION_PATH } from '../../emulator/src/profiles';
import { seedDefinition } from '../fixtures/seed';

/** A deployment definition (metadata + spec) as the provider's inputs and the CR's `spec.deployment` hold it. */
export type Definition = Record<string, any>;

/** What the emulator stores of a definition written in this profile. */
export interface StoredShape {
  /** Field paths (dotted, from the deployment's root) and the values they must hold. */
  present: Record<string, unknown>;
  /** Field paths that must be absent. */
  absent: string[];
}

/** One profile of the matrix. */
export interface LifecycleProfile {
  name: 'vvp-2.4' | 'vvp-3';
  /** The emulator options of the row (a deployment target `default`, as the seed names it). */
  emulator: Pick<EmulatorOptions, 'profile' | 'defaultTarget'>;
  /** The seed's definition as this platform takes it. */
  definition(name: string, namespace?: string, state?: string): Definition;
  /** What the stored deployment holds after a write of `definition(...)`. */
  stored: StoredShape;
  /** The status of `POST /api/v1/namespaces/{ns}/events` (VVP 2.x has no events endpoint: ADR 0008). */
  eventsStatus: 201 | 405;
}

/** The description the vvp-3 row adds: a field VVP 3 keeps and VVP 2.4 does not know. */
export const SEED_DESCRIPTION = 'The seed deployment of the profile matrix';

/** The fields VVP 3 has and VVP 2.4 does not (ADR 0009). */
export const THREE_ONLY_FIELDS = ['metadata.description', ENGINE_VERSION_PATH];

const ARTIFACT = 'spec.template.spec.artifact';

/** The Flink version an engine version name is built on: `vera-4.1-flink-1.20` → `1.20`. */
export function flinkVersionOf(engineVersionName: string): string {
  const m = /-flink-(\d+\.\d+)$/.exec(engineVersionName);
  if (!m) throw new Error(`engine version name ${JSON.stringify(engineVersionName)} does not end in -flink-X.Y`);
  return m[1]!;
}

/** The seed definition of VVP 3: the seed's as it is, with a description. */
function vvp3Definition(name: string, namespace = 'default', state = 'CANCELLED'): Definition {
  const def = seedDefinition(name, namespace, state);
  return { ...def, metadata: { ...def.metadata, description: SEED_DESCRIPTION } };
}

/** The seed definition of VVP 2.4.3: `artifact.flinkVersion` instead of `artifact.engineVersionName`. */
function vvp24Definition(name: string, namespace = 'default', state = 'CANCELLED'): Definition {
  const def = seedDefinition(name, namespace, state);
  const { engineVersionName, ...artifact } = def.spec.template.spec.artifact;
  const template = {
    spec: { ...def.spec.template.spec, artifact: { ...artifact, flinkVersion: flinkVersionOf(engineVersionName) } },
  };
  return { ...def, spec: { ...def.spec, template } };
}

const SEED_ENGINE = seedDefinition().spec.template.spec.artifact.engineVersionName;

/** The rows: every profile the core lifecycles run in. */
export const LIFECYCLE_PROFILES: readonly LifecycleProfile[] = [
  {
    name: 'vvp-2.4',
    emulator: { profile: 'vvp-2.4', defaultTarget: 'default' },
    definition: vvp24Definition,
    stored: { present: { [`${ARTIFACT}.flinkVersion`]: flinkVersionOf(SEED_ENGINE) }, absent: THREE_ONLY_FIELDS },
    eventsStatus: 405,
  },
  {
    name: 'vvp-3',
    emulator: { profile: 'vvp-3', defaultTarget: 'default' },
    definition: vvp3Definition,
    stored: { present: { 'metadata.description': SEED_DESCRIPTION, [ENGINE_VERSION_PATH]: SEED_ENGINE }, absent: [] },
    eventsStatus: 201,
  },
];

/** The value at a dotted path (undefined when any step is missing). */
export function valueAt(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
}

/** The stored deployment's fields the row's shape names, for one `toEqual` (absent ones as undefined). */
export function storedFields(row: LifecycleProfile, deployment: unknown): Record<string, unknown> {
  const paths = [...Object.keys(row.stored.present), ...row.stored.absent];
  return Object.fromEntries(paths.map((p) => [p, valueAt(deployment, p)]));
}

/** What {@link storedFields} must return for the row. */
export function expectedStoredFields(row: LifecycleProfile): Record<string, unknown> {
  return { ...row.stored.present, ...Object.fromEntries(row.stored.absent.map((p) => [p, undefined])) };
}
