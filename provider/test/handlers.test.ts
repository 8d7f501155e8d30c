/** The six provider functions as Pulumi calls them: check and diff log through the injected log. */
import { logs, h, name, warnings, inputs } from './fixture';

describe('check and diff through the handlers', () => {
  it('logs check warnings and the change class of a diff', async () => {
    await h.check(
      inputs({ initFields: { spec: { template: { spec: { parallelism: 1 } } } } }),
      inputs({ initFields: { spec: { template: { spec: { parallelism: 2 } } } } }),
    );
    expect(warnings()).toEqual([expect.stringContaining('initFields apply at creation only')]);
    await h.diff('id-1', { ...inputs(), deploymentId: 'id-1' }, inputs({}, { state: 'RUNNING' }));
    expect(logs.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      `deployment default/${name}: change state`,
    ]);
  });
});
