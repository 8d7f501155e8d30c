/** createOrAdopt: create, or adopt what exists (ours, or on request), or NameConflict worded once. */
import { operatorOwnership } from '../../../core/src/ownership';
import { FakeVvpClient } from '../../src/testing';
import { createOrAdopt, NameConflictError, type WorkflowContext } from '../../src/workflows/index';

const ownership = operatorOwnership('op-1', 'uid-1');
const ref = { namespace: 'default', name: 'orders' };
const desired = { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'CANCELLED' as const } };

function setup() {
  const client = new FakeVvpClient();
  const warnings: string[] = [];
  const ctx: WorkflowContext = {
    client,
    actor: 'Kubernetes operator',
    subject: 'deployment default/orders',
    warn: (m) => warnings.push(m),
  };
  const request = { ref, ownership, adopt: false, adoptHint: 'ask to adopt', mode: 'PATCH' as const, desired };
  return { client, ctx, warnings, request };
}

describe('createOrAdopt', () => {
  it('creates a stamped deployment (POST in PATCH mode, initFields under it) and posts the created event', async () => {
    const { client, ctx, request } = setup();
    const made = await createOrAdopt(ctx, { ...request, initFields: { spec: { maxJobCreationAttempts: 2 } } });
    expect(made.how).toBe('created');
    const [, body] = client.callsOf('createDeployment')[0]!.args as [string, any];
    expect(body.spec).toEqual({ state: 'CANCELLED', maxJobCreationAttempts: 2 });
    expect(body.metadata.labels).toEqual({ 'ververica.platform/owner': 'op-1' });
    expect(client.events.map((e) => e.spec.message)).toEqual(['Kubernetes operator created deployment']);
  });

  it('creates with PUT in PUT mode and ignores initFields', async () => {
    const { client, ctx, request } = setup();
    await createOrAdopt(ctx, { ...request, mode: 'PUT', initFields: { spec: { maxJobCreationAttempts: 2 } } });
    expect(client.callsOf('createDeployment')).toEqual([]);
    const [, , body] = client.callsOf('putDeployment')[0]!.args as [string, string, any];
    expect(body.spec.maxJobCreationAttempts).toBeUndefined();
  });

  it('finds its own deployment (crash recovery) and adopts a foreign one only on request', async () => {
    const { client, ctx, request } = setup();
    await createOrAdopt(ctx, request);
    expect((await createOrAdopt(ctx, request)).how).toBe('own');
    const foreign = { ...request, ownership: operatorOwnership('op-2', 'uid-2') };
    await expect(createOrAdopt(ctx, foreign)).rejects.toThrow(NameConflictError);
    expect((await createOrAdopt(ctx, { ...foreign, adopt: true })).how).toBe('adopted');
    expect(client.callsOf('createDeployment')).toHaveLength(1);
  });

  it('words NameConflict once: the deployment, its owner, untouched, and the entry point’s way to adopt', async () => {
    const { client, ctx, request } = setup();
    await client.createDeployment('default', { metadata: { name: 'orders', namespace: 'default' } });
    await expect(createOrAdopt(ctx, request)).rejects.toThrow(
      'deployment default/orders already exists in VVP and is not managed by vvp-iac; it was not touched. Choose another name, or ask to adopt to take it over',
    );
  });

  it('on a 409 from the create (someone created it meanwhile) looks up again and decides as for any existing one', async () => {
    const { client, ctx, request } = setup();
    client.fail({ method: 'createDeployment', status: 409, times: 1 });
    const original = client.findDeployment.bind(client);
    let lookups = 0;
    client.findDeployment = async (ns, name) => {
      lookups++;
      // the second look-up sees what the other writer created
      if (lookups === 2) await client.createDeployment(ns, { metadata: { name, namespace: ns } });
      return original(ns, name);
    };
    await expect(createOrAdopt(ctx, request)).rejects.toThrow(/already exists in VVP and is not managed by vvp-iac/);
    expect(lookups).toBe(2);
  });

  it('never fails on a VVP event that cannot be posted; the failure is reported through warn', async () => {
    const { client, ctx, request, warnings } = setup();
    client.fail({ method: 'createEvent', status: 500 });
    expect((await createOrAdopt(ctx, request)).how).toBe('created');
    expect(warnings).toEqual([expect.stringMatching(/^deployment default\/orders: could not record the VVP event/)]);
  });
});
