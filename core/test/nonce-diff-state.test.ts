import { classifyChange, INIT_FIELDS_CREATION_ONLY, type DesiredDefinition } from '../src/diff';
import { decideNonce, decideNonces, nonceChanged } from '../src/nonce';
import {
  isConverged,
  isInactive,
  isMoving,
  isTerminalMismatch,
  needsCancelBeforeDelete,
  startsNewJob,
} from '../src/state';
import { decideExisting, operatorOwnership, wantsAdoption } from '../src/ownership';
import type { VvpDeployment } from '../src/model/deployment';

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

describe('change classification', () => {
  const base: DesiredDefinition = {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name: 'a', namespace: 'default' },
      spec: { state: 'CANCELLED', template: { spec: { parallelism: 1 } } },
    },
    savepointNonce: 1,
    restartNonce: 1,
  };
  const edit = (patch: Partial<DesiredDefinition>): DesiredDefinition => ({ ...base, ...patch });
  const spec = (s: object) => ({ ...base.deployment, spec: { ...base.deployment!.spec, ...s } });

  it.each([
    ['nothing changed', edit({}), 'none'],
    ['syncingMode only', edit({ syncingMode: 'PUT' }), 'none'],
    ['initFields only', edit({ initFields: { spec: { template: { spec: { parallelism: 4 } } } } }), 'none'],
    ['a template field', edit({ deployment: spec({ template: { spec: { parallelism: 2 } } }) }), 'config'],
    ['the desired state', edit({ deployment: spec({ state: 'RUNNING' }) }), 'state'],
    [
      'state and config together',
      edit({ deployment: spec({ state: 'RUNNING', template: { spec: { parallelism: 2 } } }) }),
      'state',
    ],
    ['the savepoint nonce', edit({ savepointNonce: 2 }), 'savepoint'],
    ['the restart nonce', edit({ restartNonce: 2 }), 'restart'],
    ['both nonces', edit({ restartNonce: 2, savepointNonce: 2 }), 'restart'],
    [
      'the name',
      edit({ deployment: { ...base.deployment, metadata: { name: 'b', namespace: 'default' } } }),
      'replace',
    ],
    [
      'the VVP namespace',
      edit({ deployment: { ...base.deployment, metadata: { name: 'a', namespace: 'other' } } }),
      'replace',
    ],
  ] as const)('%s → %s', (_n, next, expected) => {
    expect(classifyChange(base, next).change).toBe(expected);
  });

  it('warns that initFields apply at creation only', () => {
    const s = classifyChange(base, edit({ initFields: { spec: { state: 'RUNNING' } } }));
    expect(s.warnings).toEqual([INIT_FIELDS_CREATION_ONLY]);
    expect(s.specChanged).toBe(false);
  });

  it('treats userMetadata and metadata as the same field', () => {
    const alias = edit({
      deployment: { userMetadata: { name: 'a', namespace: 'default' }, spec: base.deployment!.spec! },
    });
    expect(classifyChange(base, alias).change).toBe('none');
  });
});

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

describe('ownership', () => {
  const own = operatorOwnership('op-1', 'uid-1');
  const existing = (labels: Record<string, string>, annotations: Record<string, string>): VvpDeployment => ({
    metadata: { id: 'x', name: 'a', namespace: 'default', labels, annotations },
    spec: {},
  });

  it('adopts a deployment carrying our stamp (crash recovery)', () => {
    expect(
      decideExisting(existing({ 'ververica.platform/owner': 'op-1' }, { 'ververica.platform/cr-uid': 'uid-1' }), own, {
        adopt: false,
      }),
    ).toBe('adopt');
  });
  it.each([
    ['no stamp', {}, {}],
    ['another owner', { 'ververica.platform/owner': 'op-2' }, { 'ververica.platform/cr-uid': 'uid-1' }],
    ['another CR of the same owner', { 'ververica.platform/owner': 'op-1' }, { 'ververica.platform/cr-uid': 'uid-9' }],
  ])('a deployment with %s is a name conflict unless adoption is asked for', (_n, labels, annotations) => {
    expect(decideExisting(existing(labels, annotations), own, { adopt: false })).toBe('conflict');
    expect(decideExisting(existing(labels, annotations), own, { adopt: true })).toBe('adopt');
  });
  it('reads the adopt annotation', () => {
    expect(wantsAdoption({ 'ververica.platform/adopt': 'true' })).toBe(true);
    expect(wantsAdoption({ 'ververica.platform/adopt': 'yes' })).toBe(false);
    expect(wantsAdoption(undefined)).toBe(false);
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
