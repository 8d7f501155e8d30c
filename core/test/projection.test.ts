import { coversDefinition } from '../src/projection';
import { projectionNeeded } from '../src/sync/index';
import type { VvpDeployment } from '../src/model/deployment';

const actual = (flink: Record<string, string>, extra: Record<string, unknown> = {}): VvpDeployment => ({
  metadata: {
    id: 'd1',
    name: 'orders',
    namespace: 'default',
    labels: { 'ververica.platform/owner': 'op' },
    annotations: { 'ververica.platform/cr-uid': 'u' },
  },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    maxJobCreationAttempts: 4,
    template: { spec: { flinkConfiguration: flink, parallelism: 1 } },
    ...extra,
  },
});
const desired = (flink: Record<string, string>) => ({
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    state: 'CANCELLED' as const,
    deploymentTargetName: 'default',
    template: { spec: { flinkConfiguration: flink } },
  },
});

describe('projectionNeeded', () => {
  it('PATCH: sees a change of a Flink configuration key that contains dots', () => {
    expect(projectionNeeded('PATCH', desired({ 'execution.checkpointing.interval': '10s' }), actual({}))).toBe(true);
    expect(
      projectionNeeded(
        'PATCH',
        desired({ 'execution.checkpointing.interval': '10s' }),
        actual({ 'execution.checkpointing.interval': '10s' }),
      ),
    ).toBe(false);
  });

  it('PATCH: fields the CR omits do not count, and the ownership stamp does not count', () => {
    expect(projectionNeeded('PATCH', desired({}), actual({ 'a.b': 'c' }))).toBe(false);
  });

  it('PUT: any field VVP holds beyond the definition counts (a PUT resets it)', () => {
    expect(projectionNeeded('PUT', desired({}), actual({}))).toBe(true);
    const full = {
      metadata: { name: 'orders', namespace: 'default' },
      spec: {
        state: 'CANCELLED' as const,
        deploymentTargetName: 'default',
        maxJobCreationAttempts: 4,
        template: { spec: { flinkConfiguration: {}, parallelism: 1 } },
      },
    };
    expect(projectionNeeded('PUT', full, actual({}))).toBe(false);
  });
});

describe('coversDefinition', () => {
  it('compares objects key by key and arrays whole', () => {
    expect(coversDefinition({ a: { b: [1, 2], c: 1 } }, { a: { b: [1, 2] } })).toBe(true);
    expect(coversDefinition({ a: { b: [1, 2, 3] } }, { a: { b: [1, 2] } })).toBe(false);
    expect(coversDefinition(undefined, { a: {} })).toBe(true);
  });
});
