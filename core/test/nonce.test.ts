import { decideNonce, decideNonces, nonceChanged } from '../src/nonce';

const RUNNING = { spec: 'RUNNING', actual: 'RUNNING' };

describe('nonces', () => {
  it.each([
    ['1 → 2 triggers', 2, 1, 'trigger'],
    ['5 → 3 triggers (equality, not order)', 3, 5, 'trigger'],
    ['unset → 0 triggers', 0, undefined, 'trigger'],
    ['null → 0 triggers', 0, null, 'trigger'],
    ['an unchanged value does nothing', 4, 4, 'none'],
    ['removing the value does nothing', undefined, 4, 'none'],
  ] as const)('%s', (_n, desired, processed, action) => {
    expect(decideNonce('savepoint', { desired, processed }, RUNNING).action).toBe(action);
  });

  it.each([
    ['spec RUNNING, actual TRANSITIONING', 'RUNNING', 'TRANSITIONING'],
    ['spec CANCELLED, actual CANCELLED', 'CANCELLED', 'CANCELLED'],
    ['spec CANCELLED, actual RUNNING', 'CANCELLED', 'RUNNING'],
    ['spec RUNNING, actual FAILED', 'RUNNING', 'FAILED'],
  ])('a change is blocked and consumed when %s', (_n, spec, actual) => {
    const d = decideNonce('restart', { desired: 2, processed: 1 }, { spec, actual });
    expect(d.action).toBe('blocked');
    expect(d.record).toBe(2);
    expect(d.reason).toContain('consumed');
  });

  it('a blocked value is not retried: reverting to it later does nothing', () => {
    const blocked = decideNonce('savepoint', { desired: 2, processed: 1 }, { spec: 'CANCELLED', actual: 'CANCELLED' });
    expect(decideNonce('savepoint', { desired: 2, processed: blocked.record }, RUNNING).action).toBe('none');
  });

  it('decides the savepoint before the restart', () => {
    const out = decideNonces(
      { savepoint: { desired: 1, processed: 0 }, restart: { desired: 1, processed: 0 } },
      RUNNING,
    );
    expect(out.map((d) => [d.kind, d.action])).toEqual([
      ['savepoint', 'trigger'],
      ['restart', 'trigger'],
    ]);
    expect(nonceChanged({ desired: undefined, processed: undefined })).toBe(false);
  });
});
