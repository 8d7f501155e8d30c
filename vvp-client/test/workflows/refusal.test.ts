/** A refused create or update names the missing session cluster or deployment target, with how to create it. */
import { operatorOwnership } from '../../../core/src/ownership';
import { FakeVvpClient } from '../../src/testing';
import { createOrAdopt, project, PlacementMissingError, type WorkflowContext } from '../../src/workflows/index';

const ownership = operatorOwnership('op-1', 'uid-1');
const ref = { namespace: 'default', name: 'orders' };

function setup() {
  const client = new FakeVvpClient();
  const ctx: WorkflowContext = { client, actor: 'Pulumi', subject: 'deployment default/orders', warn: () => {} };
  return { client, ctx };
}
const definition = (spec: Record<string, unknown>) => ({
  metadata: { name: 'orders', namespace: 'default' },
  spec: { state: 'CANCELLED' as const, ...spec },
});
const create = (ctx: WorkflowContext, spec: Record<string, unknown>) =>
  createOrAdopt(ctx, { ref, ownership, adopt: false, adoptHint: '-', mode: 'PATCH', desired: definition(spec) });

describe('explainRefusal', () => {
  it('a create naming a missing session cluster fails naming it and how to create it', async () => {
    const { client, ctx } = setup();
    client.fail({ method: 'createDeployment', status: 400, message: "Session cluster 'sc' does not exist" });
    const err = await create(ctx, { sessionClusterName: 'sc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlacementMissingError);
    expect((err as Error).message).toBe(
      'session cluster sc does not exist in VVP namespace default: create it (VVP UI → Session Clusters, or the REST API POST /api/v1/namespaces/default/sessionclusters, and start it) or fix spec.sessionClusterName',
    );
    expect(client.callsOf('getSessionCluster')).toHaveLength(1);
  });

  it('an update (projection) naming a missing session cluster fails the same way', async () => {
    const { client, ctx } = setup();
    await create(ctx, {});
    client.fail({ method: 'patchDeployment', status: 400 });
    await expect(
      project(ctx, { ref, mode: 'PATCH', desired: definition({ sessionClusterName: 'sc' }), ownership }),
    ).rejects.toThrow(/^session cluster sc does not exist in VVP namespace default: create it /);
  });

  it('an update naming a missing deployment target fails naming it', async () => {
    const { client, ctx } = setup();
    await create(ctx, {});
    client.fail({ method: 'patchDeployment', status: 400 });
    client.fail({ method: 'getDeploymentTarget', status: 404 });
    await expect(
      project(ctx, { ref, mode: 'PATCH', desired: definition({ deploymentTargetName: 'gone' }), ownership }),
    ).rejects.toThrow(
      /^deployment target gone does not exist in VVP namespace default: create it .* or fix spec.deploymentTargetName$/,
    );
  });

  it("VVP's own message stands when the cluster exists, and a working write makes no look-up", async () => {
    const { client, ctx } = setup();
    client.objects.set('/api/v1/namespaces/default/sessionclusters/sc', {
      metadata: { name: 'sc', namespace: 'default' },
    });
    client.fail({ method: 'createDeployment', status: 400, message: 'bad parallelism', times: 1 });
    await expect(create(ctx, { sessionClusterName: 'sc' })).rejects.toThrow('bad parallelism');
    await create(ctx, { sessionClusterName: 'sc' });
    expect(client.callsOf('getSessionCluster')).toHaveLength(1);
  });
});
