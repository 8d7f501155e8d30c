/** Hostile input through core validate: wrong types, prototype keys, huge and deep values never throw, are named. */
import { resolveDeployment } from '../src/sync/resolve';
import { errorsOf, validate, warningsOf, type ValidationTarget } from '../src/validate';
import { MAX_DEPTH, MAX_ISSUES, shapeProblem, show } from '../src/validate-input';

const OWNER = 'ververica.platform/owner';
const seed = (): any => ({
  metadata: { name: 'orders', namespace: 'team-a', labels: { [OWNER]: 'op' } },
  spec: {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name: 'orders', namespace: 'default' },
      spec: { state: 'CANCELLED', deploymentTargetName: 'default' },
    },
  },
});
const run = (target: unknown, old?: unknown) =>
  validate(target as ValidationTarget, old as ValidationTarget | undefined, { instanceId: 'op' });
const errorPaths = (target: unknown, old?: unknown) => errorsOf(run(target, old)).map((i) => i.path);
const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('validate on hostile input', () => {
  it.each([
    ['metadata.name', (c: any) => (c.metadata.name = { toString: 'x' })],
    ['metadata.namespace', (c: any) => (c.metadata.namespace = { toString: 'x' })],
    [`metadata.labels["${OWNER}"]`, (c: any) => (c.metadata.labels[OWNER] = { toString: 'x' })],
  ])('an object such as {"toString":"x"} as %s is a type error naming the path, not a TypeError', (path, edit) => {
    const c = seed();
    edit(c);
    const issues = errorsOf(run(c));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]!.message).toContain('must be a string');
    expect(issues[0]!.message).toContain('{"toString":"x"}');
    // the same value in the old object of an UPDATE does not throw either
    expect(() => run(seed(), c)).not.toThrow();
  });

  it('flags the invalid inputs that used to pass: metadata null, non-string labels, an empty or invalid VVP namespace', () => {
    const noMeta = seed();
    noMeta.metadata = null;
    expect(errorPaths(noMeta)).toContain('metadata');
    const labels = seed();
    labels.metadata.labels.team = 42;
    labels.metadata.annotations = 'str';
    expect(errorPaths(labels).sort()).toEqual(['metadata.annotations', 'metadata.labels["team"]']);
    for (const ns of ['', 'Has_Upper', '-x']) {
      const c = seed();
      c.spec.deployment.metadata.namespace = ns;
      expect(errorsOf(run(c)).map((i) => [i.path, i.code])).toEqual([
        ['spec.deployment.metadata.namespace', 'namespace-invalid'],
      ]);
    }
  });

  it('reports each wrong value once (no schema duplicate of the nonce rule, no type + enum pair)', () => {
    const c = seed();
    c.spec.savepointNonce = '1';
    c.spec.syncingMode = null;
    expect(errorPaths(c).sort()).toEqual(['spec.savepointNonce', 'spec.syncingMode']);
  });

  it('reads only own keys: `constructor` or `__proto__` never reach Object.prototype', () => {
    const c = seed();
    c.spec.initFields = JSON.parse('{"constructor":{"x":1},"spec":{"toString":1}}');
    expect(warningsOf(run(c)).filter((w) => w.code === 'init-fields-overlap')).toEqual([]);
    const proto = seed();
    proto.metadata.labels = JSON.parse(`{"__proto__":{"${OWNER}":"op"}}`);
    expect(errorPaths(proto)).toContain(`metadata.labels["${OWNER}"]`);
  });

  it('a string where an object is expected resolves to an empty deployment (no key per character)', () => {
    expect(resolveDeployment('abc' as never)).toEqual({});
    expect(resolveDeployment(['a'] as never)).toEqual({});
  });

  it('a 3 MiB string as the old spec.deployment is read in linear time (was 4 s)', () => {
    const old = seed();
    old.spec.deployment = 'x'.repeat(3 * 1024 * 1024);
    const started = Date.now();
    expect(errorsOf(run(seed(), old))).toEqual([]);
    // generous bound for a loaded machine; the quadratic version took 4,000 ms
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('quotes huge values shortened: a 3 MiB name gives a message of a few hundred characters', () => {
    const c = seed();
    c.spec.deployment.metadata.name = `${'a'.repeat(3 * 1024 * 1024)}_`;
    const [issue] = errorsOf(run(c));
    expect(issue!.path).toBe('spec.deployment.metadata.name');
    expect(issue!.message.length).toBeLessThan(500);
    expect(show('y'.repeat(1000))).toContain('(1000 characters)');
  });

  it('nesting deeper than the limit is one error naming where, without a stack overflow', () => {
    const c = seed();
    c.spec.deployment.spec.flinkConfiguration = nested(20_000);
    const issues = run(c, c);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'too-deep', severity: 'error' });
    expect(issues[0]!.path).toMatch(/^spec\.deployment\.spec\.flinkConfiguration\.a\.a/);
    expect(shapeProblem(nested(MAX_DEPTH))).toBeUndefined();
    expect(shapeProblem(nested(MAX_DEPTH + 2))?.kind).toBe('depth');
  });

  it('bounds the work on bulk: too many values is one error; at most MAX_ISSUES issues plus a summary', () => {
    const bulk = seed();
    bulk.spec.deployment.metadata.labels = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1]));
    expect(run(bulk).map((i) => i.code)).toEqual(['too-large']);
    const many = seed();
    many.spec.deployment.metadata.labels = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const issues = run(many);
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[MAX_ISSUES]!.message).toContain(`${5000 - MAX_ISSUES} more problems are not listed`);
  });

  it('names the first place a limit is passed, in arrays and objects alike, exactly at the limit', () => {
    expect(shapeProblem({ ok: [1, { b: 2 }], deep: [0, nested(MAX_DEPTH)] })).toEqual({
      kind: 'depth',
      path: ['deep', '1', ...Array<string>(MAX_DEPTH - 1).fill('a')],
    });
    expect(shapeProblem({ deep: [nested(MAX_DEPTH - 2)] })).toBeUndefined();
    expect(shapeProblem({ small: { a: 1 }, big: Array<number>(20_000).fill(0) })).toEqual({
      kind: 'size',
      path: ['big'],
    });
    expect(shapeProblem({ small: { a: 1 }, big: Array<number>(19_997).fill(0) })).toBeUndefined();
    // 2 + 19,998 values pass at `big`; the one of `small`, scanned after it, is the 20,001st
    expect(shapeProblem({ small: { a: 1 }, big: Array<number>(19_998).fill(0) })).toEqual({
      kind: 'size',
      path: ['small'],
    });
    expect(
      shapeProblem({ list: [{}, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 1]))] }, 64, 31),
    ).toEqual({
      kind: 'size',
      path: ['list', '1'],
    });
    for (const scalar of [null, undefined, 1, 'x']) expect(shapeProblem(scalar, 0, 0)).toBeUndefined();
  });

  it('never throws on non-object targets or old values', () => {
    for (const v of [null, 42, 'x', [], { spec: null }, { metadata: 'x', spec: 'y' }]) {
      expect(() => run(v)).not.toThrow();
      expect(() => run(seed(), v)).not.toThrow();
      expect(errorsOf(run(v)).length).toBeGreaterThan(0);
    }
  });
});
