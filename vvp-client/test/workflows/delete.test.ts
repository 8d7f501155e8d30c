/** deleteDeployment and project: cancel first where VVP would refuse the DELETE; PATCH or GET + PUT by the mode. */
import { operatorOwnership } from '../../../core/src/ownership';
import type { VvpDeployment } from '../../../core/src/model/deployment';
import { FakeVvpClient } from '../../src/testing';
import { deleteDeployment, project, type WorkflowContext } from '../../src/workflows/index';

const ownership = operatorOwnership('op-1', 'uid-1');
const ref = { namespace: 'default', name: 'orders' };

async function setup(state: 'RUNNING' | 'CANCELLED') {
  const client = new FakeVvpClient();
  await client.createDeployment('default', {
    metadata: {
      name: 'orders',
      namespace: 'default',
      annotations: { 'com.dataartisans.appmanager.controller.x': 'y' },
    },
    spec: { state },
  });
  const ctx: WorkflowContext = {
    client,
    actor: 'Kubernetes operator',
    subject: 'deployment default/orders',
    warn: () => {},
  };
  const current = (await client.getDeployment('default', 'orders')) as VvpDeployment;
  client.calls.length = 0;
  return { client, ctx, current };
}

describe('deleteDeployment', () => {
  it('deletes a deployment whose desired state VVP accepts a DELETE in, with no other write', async () => {
    const { client, ctx, current } = await setup('CANCELLED');
    await deleteDeployment(ctx, { ref, deployment: current, ownership });
    expect(client.writes().map((w) => w.method)).toEqual(['deleteDeployment']);
  });

  it('sets the desired state CANCELLED first when it is still RUNNING (FAILED job), and treats 404 as done', async () => {
    const { client, ctx, current } = await setup('RUNNING');
    client.fail({ method: 'deleteDeployment', status: 404 });
    await deleteDeployment(ctx, { ref, deployment: current, ownership });
    expect(client.writes().map((w) => w.method)).toEqual(['patchDeployment', 'deleteDeployment']);
    expect((client.callsOf('patchDeployment')[0]!.args[2] as any).spec).toEqual({ state: 'CANCELLED' });
  });
});

describe('project', () => {
  const desired = { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'RUNNING' as const } };

  it('PATCHes in PATCH mode and names the state change in the event', async () => {
    const { client, ctx, current } = await setup('CANCELLED');
    await project(ctx, { ref, mode: 'PATCH', desired, ownership, current });
    expect(client.writes().map((w) => w.method)).toEqual(['patchDeployment']);
    expect(client.events.map((e) => e.spec.message)).toEqual([
      'Kubernetes operator projected deployment config (mode=PATCH) including state change: CANCELLED → RUNNING',
    ]);
  });

  it('reads first in PUT mode and carries the system annotations', async () => {
    const { client, ctx } = await setup('CANCELLED');
    await project(ctx, { ref, mode: 'PUT', desired, ownership });
    expect(client.calls.map((c) => c.method)).toEqual(['getDeployment', 'putDeployment', 'createEvent']);
    const [, , body] = client.callsOf('putDeployment')[0]!.args as [string, string, any];
    expect(body.metadata.annotations['com.dataartisans.appmanager.controller.x']).toBe('y');
  });
});
