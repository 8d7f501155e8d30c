import {
  findCondition,
  healthOf,
  readinessOf,
  removeCondition,
  Reasons,
  setCondition,
  withSummary,
  type Condition,
} from '../src/conditions';

const ctx = (now: string) => ({ now, generation: 3 });

describe('conditions', () => {
  it('moves lastTransitionTime only when the status changes', () => {
    let list: Condition[] = [];
    list = setCondition(
      list,
      { type: 'SpecAligned', status: 'True', reason: Reasons.ConfigUpdated },
      ctx('t1'),
    ).conditions;
    const same = setCondition(list, { type: 'SpecAligned', status: 'True', reason: Reasons.SpecUnchanged }, ctx('t2'));
    expect(same.conditions[0]!.lastTransitionTime).toBe('t1');
    expect(same.conditions[0]!.reason).toBe('SpecUnchanged');
    expect(same.transitioned).toBe(true);
    const flipped = setCondition(
      same.conditions,
      { type: 'SpecAligned', status: 'False', reason: Reasons.ProjectionFailed },
      ctx('t3'),
    );
    expect(flipped.conditions[0]!.lastTransitionTime).toBe('t3');
    expect(flipped.conditions[0]!.observedGeneration).toBe(3);
    const again = setCondition(
      flipped.conditions,
      { type: 'SpecAligned', status: 'False', reason: Reasons.ProjectionFailed },
      ctx('t4'),
    );
    expect(again.transitioned).toBe(false);
  });

  it('removes a condition', () => {
    const list = setCondition(
      [],
      { type: 'DeletionBlocked', status: 'True', reason: Reasons.DeploymentActive },
      ctx('t'),
    ).conditions;
    expect(findCondition(removeCondition(list, 'DeletionBlocked'), 'DeletionBlocked')).toBeUndefined();
  });

  it('Healthy takes the first failing reason, then JobFailed', () => {
    let list = setCondition(
      [],
      { type: 'Consistent', status: 'True', reason: Reasons.DeploymentExists },
      ctx('t'),
    ).conditions;
    expect(healthOf(list, 'RUNNING')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(healthOf(list, 'FAILED')).toMatchObject({ status: 'False', reason: 'JobFailed' });
    list = setCondition(
      list,
      { type: 'NonceAligned', status: 'False', reason: Reasons.SavepointBlocked },
      ctx('t'),
    ).conditions;
    list = setCondition(
      list,
      { type: 'SpecAligned', status: 'False', reason: Reasons.ProjectionFailed, message: 'VVP said no' },
      ctx('t'),
    ).conditions;
    expect(healthOf(list, 'RUNNING')).toMatchObject({
      status: 'False',
      reason: 'ProjectionFailed',
      message: 'VVP said no',
    });
  });

  it('Ready needs health, the desired state and the current generation', () => {
    const healthy = { type: 'Healthy' as const, status: 'True' as const, reason: Reasons.Healthy };
    expect(
      readinessOf(healthy, { desiredState: 'RUNNING', actualState: 'RUNNING', generation: 2, observedGeneration: 2 })
        .reason,
    ).toBe('Converged');
    expect(
      readinessOf(healthy, {
        desiredState: 'RUNNING',
        actualState: 'TRANSITIONING',
        generation: 2,
        observedGeneration: 2,
      }).reason,
    ).toBe('Progressing');
    expect(
      readinessOf(healthy, { desiredState: 'RUNNING', actualState: 'RUNNING', generation: 3, observedGeneration: 2 })
        .status,
    ).toBe('False');
    const sick = { type: 'Healthy' as const, status: 'False' as const, reason: Reasons.NameConflict };
    expect(
      readinessOf(sick, { desiredState: 'RUNNING', actualState: 'RUNNING', generation: 2, observedGeneration: 2 }),
    ).toMatchObject({ type: 'Ready', reason: 'NameConflict' });
  });

  it('withSummary adds Healthy and Ready', () => {
    const list = withSummary(
      [],
      { desiredState: 'CANCELLED', actualState: 'CANCELLED', generation: 1, observedGeneration: 1 },
      ctx('t'),
    );
    expect(list.map((c) => `${c.type}=${c.status}`)).toEqual(['Healthy=True', 'Ready=True']);
  });
});
