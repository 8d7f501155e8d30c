import {
  AutopilotModes,
  autopilotActive,
  autopilotOwnedPaths,
  autopilotScaling,
  keepAutopilotFields,
  parallelismAlignment,
} from '../src/autopilot';
import { isMoving } from '../src/state';

const ACTIVE = AutopilotModes.ACTIVE;
const desired = {
  spec: {
    state: 'RUNNING' as const,
    template: { spec: { parallelism: 2, resources: { taskmanager: { cpu: 1 } }, flinkConfiguration: { a: '1' } } },
  },
};

describe('Autopilot status', () => {
  it.each([
    [{ mode: ACTIVE, scalingInProgress: true }, true, true],
    [{ mode: ACTIVE, scalingInProgress: false }, true, false],
    [{ mode: AutopilotModes.MONITORING, scalingInProgress: true }, false, false],
    [{ mode: AutopilotModes.DISABLED }, false, false],
    [undefined, false, false],
  ])('%j: active %s, scaling %s', (status, active, scaling) => {
    expect(autopilotActive(status)).toBe(active);
    expect(autopilotScaling(status)).toBe(scaling);
  });

  it('owns parallelism and resources, and nothing beside them', () => {
    expect(
      autopilotOwnedPaths([
        'spec.template.spec.parallelism',
        'spec.template.spec.resources.taskmanager.cpu',
        'spec.template.spec.flinkConfiguration.a',
        'spec.state',
      ]),
    ).toEqual(['spec.template.spec.parallelism', 'spec.template.spec.resources.taskmanager.cpu']);
  });

  it('keepAutopilotFields re-projects VVP’s values of the owned fields, the definition’s elsewhere', () => {
    const current = {
      spec: { state: 'CANCELLED', template: { spec: { parallelism: 3, resources: { taskmanager: { cpu: 2 } } } } },
    };
    expect(keepAutopilotFields(desired, current)).toEqual({
      spec: {
        state: 'RUNNING',
        template: { spec: { parallelism: 3, resources: { taskmanager: { cpu: 2 } }, flinkConfiguration: { a: '1' } } },
      },
    });
    // a field the definition does not name is not added
    expect(keepAutopilotFields({ spec: { state: 'RUNNING' } }, current)).toEqual({ spec: { state: 'RUNNING' } });
  });

  it.each<[string, unknown, string, string]>([
    ['not ACTIVE: removed', { mode: AutopilotModes.MONITORING, runtimeParallelism: 3 }, 'remove', ''],
    ['no Autopilot: removed', undefined, 'remove', ''],
    ['ACTIVE without a job: kept as it was', { mode: ACTIVE }, 'keep', ''],
    ['ACTIVE, same parallelism', { mode: ACTIVE, runtimeParallelism: 2 }, 'set', 'True/RuntimeParallelismMatches'],
    ['ACTIVE, other parallelism', { mode: ACTIVE, runtimeParallelism: 3 }, 'set', 'False/AutopilotOverride'],
  ])('ParallelismAligned %s', (_n, status, action, condition) => {
    const r = parallelismAlignment(desired, status as never);
    expect(r.action).toBe(action);
    if (r.action === 'set') expect(`${r.update.status}/${r.update.reason}`).toBe(condition);
  });

  it('ParallelismAligned is kept as it was when the CR sets no parallelism', () => {
    expect(parallelismAlignment({ spec: {} }, { mode: ACTIVE, runtimeParallelism: 3 }).action).toBe('keep');
  });

  it.each([
    ['RUNNING', 'STARTING', true],
    ['RUNNING', 'SOMETHING_NEW', true],
    ['RUNNING', 'RUNNING', false],
    ['CANCELLED', 'CANCELLED', false],
  ])('isMoving(%s, %s) = %s (STARTING and unknown states move)', (spec, actual, want) =>
    expect(isMoving(spec, actual)).toBe(want),
  );
});
