import {
  isConverged,
  isInactive,
  isMoving,
  isTerminalMismatch,
  needsCancelBeforeDelete,
  startsNewJob,
} from '../src/state';

describe('states', () => {
  it.each([
    ['CANCELLED', true],
    ['SUSPENDED', true],
    ['FAILED', true],
    ['FINISHED', true],
    ['RUNNING', false],
    ['TRANSITIONING', false],
    [undefined, false],
  ])('%s inactive: %s', (state, expected) => {
    expect(isInactive(state)).toBe(expected);
  });

  it('tells converged, moving and terminal mismatches apart', () => {
    expect(isConverged('RUNNING', 'RUNNING')).toBe(true);
    expect(isMoving('RUNNING', 'TRANSITIONING')).toBe(true);
    expect(isMoving('CANCELLED', 'CANCELLED')).toBe(false);
    expect(isTerminalMismatch('RUNNING', 'FAILED')).toBe(true);
    expect(isTerminalMismatch('RUNNING', 'FINISHED')).toBe(true);
    expect(isTerminalMismatch('CANCELLED', 'TRANSITIONING')).toBe(false);
  });

  it.each([
    ['RUNNING', true],
    [undefined, true],
    ['CANCELLED', false],
    ['SUSPENDED', false],
  ])('spec state %s needs CANCELLED before a DELETE: %s', (spec, expected) => {
    expect(needsCancelBeforeDelete(spec)).toBe(expected);
  });
});

describe('new jobs', () => {
  const base = { templateChanged: true, specState: 'RUNNING', actualState: 'RUNNING', upgradeStrategy: 'STATEFUL' };
  it.each([
    ['a template change of a running job', base, true],
    ['the default upgrade strategy', { ...base, upgradeStrategy: undefined }, true],
    ['upgrade strategy NONE', { ...base, upgradeStrategy: 'NONE' }, false],
    ['no template change', { ...base, templateChanged: false }, false],
    ['a job that is not running', { ...base, actualState: 'CANCELLED' }, false],
    ['a deployment going to CANCELLED', { ...base, specState: 'CANCELLED' }, false],
  ])('%s → %s', (_n, facts, expected) => {
    expect(startsNewJob(facts)).toBe(expected);
  });
});
