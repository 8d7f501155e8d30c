/** readAutopilot (a VVP without Autopilot said once per URL) and the fields-not-kept hook of create and project. */
import { AutopilotModes } from '../../../core/src/autopilot';
import { operatorOwnership } from '../../../core/src/ownership';
import { FakeVvpClient } from '../../src/testing';
import { createOrAdopt, project, readAutopilot, type WorkflowContext } from '../../src/workflows/index';

const ownership = operatorOwnership('op-1', 'uid-1');
const ref = { namespace: 'default', name: 'orders' };

function setup(baseUrl = 'http://fake-vvp') {
  const client = new FakeVvpClient();
  Object.defineProperty(client, 'baseUrl', { value: baseUrl });
  const info: string[] = [];
  const notKept: string[][] = [];
  const ctx: WorkflowContext = {
    client,
    actor: 'Pulumi',
    subject: 'deployment default/orders',
    warn: (m) => info.push(`warn ${m}`),
    info: (m) => info.push(m),
    fieldsNotKept: (paths) => notKept.push(paths),
  };
  return { client, ctx, info, notKept };
}

describe('readAutopilot', () => {
  it('returns the status VVP reports', async () => {
    const { client, ctx } = setup('http://with-autopilot');
    client.autopilot = new Map([
      ['d1', { mode: AutopilotModes.ACTIVE, scalingInProgress: true, runtimeParallelism: 3 }],
    ]);
    expect(await readAutopilot(ctx, { namespace: 'default', id: 'd1' })).toEqual({
      mode: AutopilotModes.ACTIVE,
      scalingInProgress: true,
      runtimeParallelism: 3,
    });
  });

  it('a 404 means no Autopilot: said once through info, remembered for that VVP URL, no further request', async () => {
    const { client, ctx, info } = setup('http://without-autopilot');
    client.autopilot = false;
    expect(await readAutopilot(ctx, { namespace: 'default', id: 'd1' })).toBeUndefined();
    expect(await readAutopilot(ctx, { namespace: 'default', id: 'd2' })).toBeUndefined();
    expect(client.callsOf('getAutopilotStatus')).toHaveLength(1);
    expect(info).toEqual([
      expect.stringMatching(/^VVP at http:\/\/without-autopilot has no Autopilot \(.*answered 404\)/),
    ]);
  });

  it('other failures are thrown', async () => {
    const { client, ctx } = setup('http://flaky-autopilot');
    client.fail({ method: 'getAutopilotStatus', status: 401, times: 1 });
    await expect(readAutopilot(ctx, { namespace: 'default', id: 'd1' })).rejects.toThrow();
    expect(await readAutopilot(ctx, { namespace: 'default', id: 'd1' })).toMatchObject({
      mode: AutopilotModes.DISABLED,
    });
  });
});

describe('fields VVP did not keep', () => {
  const desired = {
    metadata: { name: 'orders', namespace: 'default', description: 'x' },
    spec: { state: 'CANCELLED' as const, template: { spec: { parallelism: 2 } } },
  };
  it('create and each projection hand the set to the entry point (empty when all were kept)', async () => {
    const { client, ctx, notKept } = setup();
    client.dropPaths = [['metadata', 'description']];
    await createOrAdopt(ctx, { ref, ownership, adopt: false, adoptHint: '-', mode: 'PATCH', desired });
    await project(ctx, { ref, mode: 'PATCH', desired, ownership });
    // PUT never sends the description (it carries VVP's), so there is nothing VVP could drop
    await project(ctx, { ref, mode: 'PUT', desired, ownership });
    client.dropPaths = [];
    await project(ctx, { ref, mode: 'PATCH', desired, ownership });
    expect(notKept).toEqual([['metadata.description'], ['metadata.description'], [], []]);
  });
});
