/** The serialized dynamic provider of a platform type: it loads the runtime and runs that type's handlers. */
import { platformProvider } from '../../src/shell';
import { runtimePlatformHandlers } from '../../src/runtime';

describe('platformProvider', () => {
  it("dispatches to the type's handlers (check of a session cluster names its own inputs)", async () => {
    const result = await platformProvider('vvp:index:SessionCluster').check!({}, { name: 'shared' });
    expect(result.failures).toEqual([
      {
        property: 'deploymentTargetName',
        reason: 'session cluster default/shared: `deploymentTargetName` is required',
      },
    ]);
  });

  it('diffs through the same rules (a target change of the cluster replaces it)', async () => {
    const d = await platformProvider('vvp:index:SessionCluster').diff!(
      'id',
      { name: 'shared', deploymentTargetName: 'a' },
      { name: 'shared', deploymentTargetName: 'b' },
    );
    expect(d).toMatchObject({ changes: true, replaces: ['deploymentTargetName'], deleteBeforeReplace: true });
  });

  it('refuses a type it does not know', () => {
    expect(() => runtimePlatformHandlers('vvp:index:Nope')).toThrow('unknown platform resource type vvp:index:Nope');
  });
});
