/**
 * The spec schema compiled ahead of time (core/src/model/generated-validator.ts, by scripts/generate.js) judges
 * exactly as ajv compiling generated-schema.ts at run time with the same options: same verdict, same errors, over
 * a valid spec and 2,000 seeded mutants (wrong types, wrong enum values, removed and unknown fields).
 */
import Ajv from 'ajv';
import { vvpDeploymentSpecSchema } from '../src/model/generated-schema';
import { validateSpecSchema } from '../src/model/generated-validator';

const runtime = new Ajv({ allErrors: true, strict: false }).compile(vvpDeploymentSpecSchema as object);

const valid = {
  syncingMode: 'PUT',
  deployment: {
    metadata: { name: 'orders', namespace: 'default', labels: { team: 'a' } },
    spec: {
      state: 'RUNNING',
      deploymentTargetName: 'default',
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE', allowNonRestoredState: false },
      template: {
        spec: {
          artifact: { kind: 'JAR', jarUri: 's3://a/b.jar', additionalDependencies: ['s3://a/c.jar'] },
          parallelism: 2,
          resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 2, memory: '4g' } },
          flinkConfiguration: { 'state.backend': 'rocksdb' },
          logging: { log4jLoggers: { '': 'INFO' } },
        },
      },
    },
  },
  savepointNonce: 1,
};

let seed = 20261203;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Every path to a value in the object, as key lists. */
function paths(o: unknown, at: string[] = []): string[][] {
  if (o === null || typeof o !== 'object') return [at];
  return [at, ...Object.entries(o).flatMap(([k, v]) => paths(v, [...at, k]))];
}

function mutant(): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const p = pick(paths(copy).filter((x) => x.length > 0));
    const parent = p.slice(0, -1).reduce<any>((o, k) => o?.[k], copy);
    if (parent === null || typeof parent !== 'object') continue;
    const key = p[p.length - 1]!;
    const what = pick(['type', 'enum', 'remove', 'unknown'] as const);
    if (what === 'remove') delete parent[key];
    else if (what === 'unknown') parent[`x${Math.floor(rnd() * 100)}`] = pick([1, 'a', {}, []]);
    else parent[key] = what === 'enum' ? 'NOT_A_VALUE' : pick([5, 1.5, 'str', true, null, [], {}, [1]]);
  }
  return copy;
}

it('judges a valid spec and 2,000 mutants exactly as ajv compiling the schema at run time', () => {
  const inputs = [valid, ...Array.from({ length: 2000 }, mutant)];
  let rejected = 0;
  for (const input of inputs) {
    const ahead = validateSpecSchema(input);
    const now = runtime(input);
    expect({ input, verdict: ahead, errors: validateSpecSchema.errors ?? null }).toEqual({
      input,
      verdict: now,
      errors: runtime.errors ?? null,
    });
    if (!ahead) rejected++;
  }
  expect(validateSpecSchema(valid)).toBe(true);
  // the mutants are not all harmless: most of them break the schema
  expect(rejected).toBeGreaterThan(1000);
});
