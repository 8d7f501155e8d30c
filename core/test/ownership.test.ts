import { decideExisting, operatorOwnership, wantsAdoption } from '../src/ownership';
import type { VvpDeployment } from '../src/model/deployment';

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
