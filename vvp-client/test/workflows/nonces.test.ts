/** applyNonces: savepoint before restart, blocked values reported, transient failures stop the loop. */
import { decideNonces } from '../../../core/src/nonce';
import { operatorOwnership } from '../../../core/src/ownership';
import type { VvpDeployment } from '../../../core/src/model/deployment';
import { FakeVvpClient } from '../../src/testing';
import { applyNonces, type WorkflowContext } from '../../src/workflows/index';

const ownership = operatorOwnership('op-1', 'uid-1');
const ref = { namespace: 'default', name: 'orders' };
const at = new Date('2026-01-01T00:00:00Z');

async function running() {
  const client = new FakeVvpClient();
  await client.createDeployment('default', {
    metadata: { name: 'orders', namespace: 'default' },
    spec: { state: 'RUNNING' },
  });
  client.settle();
  const deployment = (await client.getDeployment('default', 'orders')) as VvpDeployment;
  client.calls.length = 0;
  const ctx: WorkflowContext = { client, actor: 'Pulumi', subject: 'deployment default/orders', warn: () => {} };
  return { client, ctx, deployment };
}

const both = (d: VvpDeployment, spec = 'RUNNING') =>
  decideNonces(
    { savepoint: { desired: 2, processed: 1 }, restart: { desired: 7, processed: 6 } },
    { spec, actual: d.status?.state },
  );

describe('applyNonces', () => {
  it('triggers the savepoint, then the restart (stamped), with one VVP event each', async () => {
    const { client, ctx, deployment } = await running();
    const run = await applyNonces(ctx, { ref, deployment, decisions: both(deployment), ownership, now: () => at });
    expect(run.outcomes.map((o) => o.result)).toEqual(['savepoint', 'restart']);
    expect(client.writes().map((w) => w.method)).toEqual(['triggerSavepoint', 'patchDeployment']);
    const [, , body] = client.callsOf('patchDeployment')[0]!.args as [string, string, any];
    expect(body.spec.template.metadata.annotations['ververica.platform/restart-nonce']).toBe('7');
    expect(body.metadata.labels['ververica.platform/owner']).toBe('op-1');
    expect(client.events.map((e) => e.spec.message)).toEqual([
      'Pulumi triggered savepoint',
      'Pulumi triggered job restart',
    ]);
    expect(run.outcomes[0]).toMatchObject({ savepoint: { nonce: 2, state: 'STARTED', triggeredAt: at.toISOString() } });
  });

  it('reports blocked decisions without calling VVP', async () => {
    const { client, ctx, deployment } = await running();
    const run = await applyNonces(ctx, {
      ref,
      deployment,
      decisions: both(deployment, 'CANCELLED'),
      ownership,
      now: () => at,
    });
    expect(run.outcomes.map((o) => o.result)).toEqual(['blocked', 'blocked']);
    expect(client.writes()).toEqual([]);
  });

  it('stops at a transient failure (not consumed; the restart waits) and goes on after a refusal (consumed)', async () => {
    const transient = await running();
    transient.client.fail({ method: 'triggerSavepoint', status: 503 });
    const d1 = transient.deployment;
    const r1 = await applyNonces(transient.ctx, { ref, deployment: d1, decisions: both(d1), ownership, now: () => at });
    expect(r1.outcomes).toEqual([expect.objectContaining({ result: 'failed', consumed: false })]);

    const refused = await running();
    refused.client.fail({ method: 'triggerSavepoint', status: 400 });
    const d2 = refused.deployment;
    const r2 = await applyNonces(refused.ctx, { ref, deployment: d2, decisions: both(d2), ownership, now: () => at });
    expect(r2.outcomes.map((o) => o.result)).toEqual(['failed', 'restart']);
  });

  it('rethrows with failFast, and lets hooks replace the deployment after a restart', async () => {
    const { client, ctx, deployment } = await running();
    const hooked = { ...deployment, metadata: { ...deployment.metadata, resourceVersion: 99 } };
    const run = await applyNonces(
      ctx,
      { ref, deployment, decisions: both(deployment), ownership, now: () => at },
      { restartTriggered: async () => hooked },
    );
    expect(run.deployment).toBe(hooked);
    client.fail({ method: 'triggerSavepoint', status: 400 });
    await expect(
      applyNonces(ctx, { ref, deployment, decisions: both(deployment), ownership, now: () => at, failFast: true }),
    ).rejects.toThrow('fake 400');
  });
});
