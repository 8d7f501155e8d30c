import { compilePattern, Faults, matchPattern } from '../src/faults';

const matches = (pattern: string, path: string) => matchPattern(compilePattern(pattern), path);

describe('fault path patterns', () => {
  it.each([
    ['/deployments$', '/api/v1/namespaces/default/deployments', true],
    ['/deployments$', '/api/v1/namespaces/default/deployments/x', false],
    ['^/api/v1/namespaces/default/deployments', '/api/v1/namespaces/default/deployments/x', true],
    ['^/api/v1/namespaces/default/deployments', '/x/api/v1/namespaces/default/deployments', false],
    ['/deployments/race-deployment$', '/api/v1/namespaces/default/deployments/race-deployment', true],
    ['/deployments/.*/x$', '/api/v1/namespaces/default/deployments/abc/x', true],
    ['/a.c$', '/abc', true],
    ['/a\\.c$', '/abc', false],
    ['/a\\.c$', '/a.c', true],
  ])('%s against %s → %s (as a regular expression would)', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
    expect(new RegExp(pattern).test(path)).toBe(expected);
  });

  it('refuses constructs that could backtrack, naming the character', () => {
    expect(() => compilePattern('(a+)+$')).toThrow("'(' at position 0 is not supported");
    expect(() => compilePattern('^a*b')).toThrow("'*' at position 2");
    expect(() => new Faults().addRoute({ path: '(x|y)' })).toThrow("Invalid fault path '(x|y)'");
  });

  it('matches a pathological path against a many-star pattern fast', () => {
    const tokens = compilePattern(`^${'.*a'.repeat(150)}$`);
    const path = 'a'.repeat(20_000) + 'b';
    const t0 = process.hrtime.bigint();
    expect(matchPattern(tokens, path)).toBe(false);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(2000);
  });

  it('counts uses of a fault with times', () => {
    const f = new Faults();
    f.addRoute({ method: 'GET', path: '/x$', status: 503, times: 1 });
    expect(f.match('GET', '/a/x')?.status).toBe(503);
    expect(f.match('GET', '/a/x')).toBeUndefined();
  });
});
