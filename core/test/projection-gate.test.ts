import { decideProjection, type ProjectionFacts } from '../src/projection-gate';
import type { VvpDeployment } from '../src/model/deployment';
import { operatorOwnership } from '../src/ownership';
import { definitionDigest } from '../src/sync/index';

const ownership = operatorOwnership('op', 'uid-1');
const desired = (state: 'CANCELLED' | 'RUNNING', parallelism = 1) => ({
  metadata: { name: 'orders', namespace: 'default' },
  spec: { state, template: { spec: { parallelism } } },
});
const vvp = (
  state: 'CANCELLED' | 'RUNNING',
  opts: { stamped?: boolean; parallelism?: number } = {},
): VvpDeployment => ({
  metadata: {
    id: 'd1',
    name: 'orders',
    namespace: 'default',
    ...(opts.stamped === false
      ? {}
      : { labels: { 'ververica.platform/owner': 'op' }, annotations: { 'ververica.platform/cr-uid': 'uid-1' } }),
  },
  spec: { state, template: { spec: { parallelism: opts.parallelism ?? 1 } } },
});
const digestOf = (d: ReturnType<typeof desired>) => definitionDigest('PATCH', d);

function facts(over: Partial<ProjectionFacts>): ProjectionFacts {
  return {
    mode: 'PATCH',
    desired: desired('CANCELLED'),
    current: vvp('CANCELLED'),
    ownership,
    generation: 2,
    observedGeneration: 2,
    projectedDigest: digestOf(desired('CANCELLED')),
    failedThisGeneration: false,
    firstSight: false,
    changedByOthers: false,
    ...over,
  };
}

describe('decideProjection', () => {
  const rows: [string, Partial<ProjectionFacts>, Record<string, unknown>][] = [
    ['the generation was projected and VVP agrees: skip', {}, { action: 'skip', note: 'none' }],
    [
      'someone else changed metadata or status only: skip, noting it',
      { changedByOthers: true },
      { action: 'skip', note: 'metadata-only' },
    ],
    [
      'the projection of this generation failed (VVP 4xx): not retried before a spec change',
      { generation: 3, failedThisGeneration: true, desired: desired('CANCELLED', 5) },
      { action: 'skip' },
    ],
    [
      'a new generation that changed no projected field (a nonce): record it',
      { generation: 3 },
      { action: 'record', why: 'no-projected-field' },
    ],
    [
      'a new generation that VVP already holds: record it',
      { generation: 3, desired: desired('CANCELLED', 5), current: vvp('CANCELLED', { parallelism: 5 }) },
      { action: 'record', why: 'in-sync' },
    ],
    [
      'a new generation with a changed field: project',
      { generation: 3, desired: desired('CANCELLED', 5) },
      { action: 'project', driftOnly: false, unstamped: false },
    ],
    [
      "VVP's desired state drifted from the CR: re-project the state",
      { current: vvp('RUNNING') },
      { action: 'project', driftOnly: true, unstamped: false },
    ],
    [
      'the deployment lacks our stamp (adoption): project even when nothing else changed',
      { current: vvp('CANCELLED', { stamped: false }) },
      { action: 'project', driftOnly: false, unstamped: true },
    ],
    [
      'an unstamped deployment is stamped even after a failed projection of this generation',
      { failedThisGeneration: true, current: vvp('CANCELLED', { stamped: false }) },
      { action: 'project', unstamped: true },
    ],
  ];
  it.each(rows)('%s', (_name, over, expected) => {
    expect(decideProjection(facts(over))).toMatchObject(expected);
  });

  it('returns the digest of the desired definition', () => {
    const d = desired('RUNNING', 3);
    expect(decideProjection(facts({ desired: d })).digest).toBe(digestOf(d));
  });
});
