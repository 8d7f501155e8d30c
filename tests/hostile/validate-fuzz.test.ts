/**
 * Hostile-input suite of core `validate`: a seeded mutator turns the seed CR into malformed CRs (wrong types,
 * objects where strings belong, `__proto__`/`constructor` keys, huge strings, deep nesting, unicode) and runs
 * each through validate as CREATE and as UPDATE (the mutant as the new and as the old object). Fixed seed, so a
 * failure names the case number to replay.
 */
import { errorsOf, validate, type ValidationTarget } from '../../core/src/validate';
import { seedDeployment } from '../e2e/operator-env';
import { recordReliability } from './report';
import { seeded } from './seeded';

const SEED = 0x5eed;
const CASES = 3200;
const OWNER = 'my-operator';

/** Fields whose type the contract fixes: a wrong type there must be an error naming a path under it. */
const TYPED: { path: string[]; kind: 'string' | 'integer' | 'object' | 'enum' }[] = [
  { path: ['metadata', 'name'], kind: 'string' },
  { path: ['metadata', 'namespace'], kind: 'string' },
  { path: ['metadata', 'labels', 'ververica.platform/owner'], kind: 'string' },
  { path: ['metadata', 'labels'], kind: 'object' },
  { path: ['metadata', 'annotations'], kind: 'object' },
  { path: ['spec', 'syncingMode'], kind: 'enum' },
  { path: ['spec', 'deployment'], kind: 'object' },
  { path: ['spec', 'deployment', 'metadata'], kind: 'object' },
  { path: ['spec', 'deployment', 'metadata', 'name'], kind: 'string' },
  { path: ['spec', 'deployment', 'metadata', 'namespace'], kind: 'string' },
  { path: ['spec', 'deployment', 'spec', 'state'], kind: 'enum' },
  { path: ['spec', 'deployment', 'spec', 'template', 'spec', 'artifact', 'jarUri'], kind: 'string' },
  { path: ['spec', 'initFields'], kind: 'object' },
  { path: ['spec', 'savepointNonce'], kind: 'integer' },
  { path: ['spec', 'restartNonce'], kind: 'integer' },
];

type Mutant = { cr: any; mustFail?: string; label: string };

function mutate(rand: () => number, n: number): Mutant {
  const cr: any = structuredClone(seedDeployment('orders'));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const parentOf = (path: string[]) => {
    let cur = cr;
    for (const k of path.slice(0, -1)) {
      if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
      cur = cur[k];
    }
    return cur;
  };
  const wrongFor = (kind: string): unknown[] => {
    const common: unknown[] = [{ toString: 'x' }, { valueOf: 1 }, [], [1, 2], null, true, 1.5, -1e300];
    if (kind === 'string') return [...common.filter((v) => v !== null), 42, { a: 'b' }];
    if (kind === 'integer') return ['1', { toString: 'x' }, 1.5, 2 ** 60, true, [], -(2 ** 54)];
    if (kind === 'object') return ['str', 42, [], true, '{"a":1}'];
    return ['running', 'FOO', 42, { toString: 'x' }, '', 'PATCH '];
  };
  const kinds = ['wrongType', 'proto', 'hugeString', 'deep', 'unicode', 'stringified', 'combo'] as const;
  const kind = kinds[n % kinds.length]!;
  switch (kind) {
    case 'wrongType':
    case 'combo': {
      const field = pick(TYPED);
      const value = pick(wrongFor(field.kind));
      parentOf(field.path)[field.path[field.path.length - 1]!] = value;
      // null where an optional field may be absent is not an error; everything else is
      const optionalNull =
        value === null &&
        ['initFields', 'savepointNonce', 'restartNonce', 'labels', 'annotations'].includes(field.path.at(-1)!);
      if (kind === 'combo') {
        const other = pick(TYPED);
        if (
          !other.path.join('.').startsWith(field.path.join('.')) &&
          !field.path.join('.').startsWith(other.path.join('.'))
        )
          parentOf(other.path)[other.path.at(-1)!] = { toString: 'x' };
      }
      return {
        cr,
        label: `${kind} ${field.path.join('.')}=${JSON.stringify(value)}`,
        ...(optionalNull ? {} : { mustFail: '' }),
      };
    }
    case 'proto': {
      const target = pick([
        cr.metadata.labels,
        cr.spec,
        cr.spec.deployment,
        cr.spec.deployment.spec,
        cr.spec.initFields,
      ]);
      const key = pick(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
      Object.defineProperty(target, key, {
        value: pick([{ polluted: true }, 'x', 1, null]),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return { cr: JSON.parse(JSON.stringify(cr)), label: `proto ${key}` };
    }
    case 'hugeString': {
      const field = pick(TYPED.filter((f) => f.kind === 'string' || f.kind === 'enum'));
      parentOf(field.path)[field.path.at(-1)!] =
        'x'.repeat(256 * 1024 + Math.floor(rand() * 1024)) + pick(['', '_', 'A']);
      return {
        cr,
        label: `huge ${field.path.join('.')}`,
        ...(field.path.join('.') === 'metadata.name' ||
        field.path.join('.') === 'metadata.namespace' ||
        field.path.at(-1) === 'jarUri' ||
        field.path.at(-1) === 'ververica.platform/owner'
          ? {}
          : { mustFail: '' }),
      };
    }
    case 'deep': {
      let v: unknown = 'leaf';
      const depth = 70 + Math.floor(rand() * 3000);
      for (let i = 0; i < depth; i++) v = rand() < 0.5 ? { k: v } : [v];
      const at = pick([cr.spec.deployment.spec, cr.spec.initFields, cr.metadata, cr.spec]);
      at.flinkConfiguration = v;
      return { cr, label: `deep ${depth}`, mustFail: '' };
    }
    case 'unicode': {
      const s = pick([
        'ördérs',
        'orders\u0000',
        '\u202eoo',
        '😀',
        'ORDERS',
        'a'.repeat(64),
        '-orders',
        'orders-',
        '\ud800',
      ]);
      cr.spec.deployment.metadata[pick(['name', 'namespace'])] = s;
      return { cr, label: `unicode ${JSON.stringify(s)}`, mustFail: '' };
    }
    case 'stringified': {
      cr.spec.deployment = JSON.stringify(cr.spec.deployment);
      return { cr, label: 'deployment as a JSON string', mustFail: '' };
    }
  }
}

describe('hostile input: core validate', () => {
  it(`${CASES} malformed CRs as CREATE and UPDATE: no throw, every required rejection made and naming a path`, () => {
    const rand = seeded(SEED);
    const seed = seedDeployment('orders') as unknown as ValidationTarget;
    let calls = 0;
    let crashes = 0;
    let unnamed = 0;
    const failures: string[] = [];
    const started = Date.now();
    for (let n = 0; n < CASES; n++) {
      const m = mutate(rand, n);
      const target = { metadata: m.cr.metadata, spec: m.cr.spec } as ValidationTarget;
      const runs: [string, () => ReturnType<typeof validate>][] = [
        ['CREATE', () => validate(target, undefined, { instanceId: OWNER })],
        ['UPDATE new', () => validate(target, seed, { instanceId: OWNER })],
        ['UPDATE old', () => validate(seed, target, { instanceId: OWNER })],
      ];
      for (const [what, call] of runs) {
        calls++;
        let issues;
        try {
          issues = call();
        } catch (err) {
          crashes++;
          failures.push(`case ${n} ${what} (${m.label}) threw ${String(err)}`);
          continue;
        }
        const unnamedHere = issues.filter((i) => !i.path || i.message.length > 2000);
        const mustFail = what !== 'UPDATE old' && m.mustFail !== undefined;
        if (unnamedHere.length || (mustFail && errorsOf(issues).length === 0)) {
          unnamed++;
          failures.push(
            `case ${n} ${what} (${m.label}): ${mustFail && !errorsOf(issues).length ? 'not rejected' : 'issue without path or unbounded'}`,
          );
        }
      }
    }
    const ms = Date.now() - started;
    recordReliability({
      surface: 'core validate (CREATE + UPDATE, seeded mutants)',
      cases: calls,
      crashes,
      serverErrors: 0,
      lostWrites: 0,
      leaks: 0,
      unnamedRejections: unnamed,
    });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(3000);
    // bounded: thousands of hostile calls, including 256 KiB strings and nesting in the thousands, in seconds
    expect(ms).toBeLessThan(60_000);
  });
});
