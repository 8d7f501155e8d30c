/** diff() without VVP: core's change classes, settings-only updates, processed nonces. */
import { diffInputs } from '../src/diff';
import { providerInputs } from '../../tests/fixtures/seed';

const name = 'orders';
const URN = 'urn:pulumi:test::proj::pulumi-nodejs:dynamic/vvp:Deployment::orders';
const connection = { baseUrl: 'http://vvp.example.com:8080', resourceUrn: URN };
const inputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  providerInputs(name, connection, over, spec);

describe('diff', () => {
  const outs = (over: Record<string, unknown> = {}) => ({
    ...inputs(over),
    deploymentId: 'id-1',
    lastProcessedSavepointNonce: over.savepointNonce,
  });
  it('reports no changes for identical inputs', () => {
    expect(diffInputs(outs(), inputs()).result).toEqual({
      changes: false,
      replaces: [],
      stables: ['deploymentId', 'resourceUrn'],
      deleteBeforeReplace: false,
    });
  });
  it('replaces, deleting first, when the name or namespace changes', () => {
    const next = inputs();
    (next.deployment as { metadata: { namespace: string } }).metadata.namespace = 'other';
    expect(diffInputs(outs(), next).result).toMatchObject({
      changes: true,
      replaces: ['deployment'],
      deleteBeforeReplace: true,
      stables: [],
    });
  });
  it('reports no update for a syncingMode-only edit', () => {
    expect(diffInputs(outs(), inputs({ syncingMode: 'PUT' })).result.changes).toBe(false);
  });
  it('reports no update for an initFields-only edit', () => {
    expect(diffInputs(outs(), inputs({ initFields: { spec: { maxJobCreationAttempts: 2 } } })).result.changes).toBe(
      false,
    );
  });
  it('reports an update and its change class for a spec change and for a nonce change', () => {
    expect(diffInputs(outs(), inputs({}, { state: 'RUNNING' }))).toMatchObject({
      result: { changes: true },
      change: 'state',
    });
    expect(diffInputs(outs({ savepointNonce: 1 }), inputs({ savepointNonce: 2 }))).toMatchObject({
      result: { changes: true },
      change: 'savepoint',
    });
  });
  it('compares nonces with the processed value, so removing a nonce is no change', () => {
    expect(diffInputs(outs({ savepointNonce: 1 }), inputs({})).result.changes).toBe(false);
  });
  it('reports an update without a VVP change for a deletionPolicy edit, so destroy sees the new policy', () => {
    expect(diffInputs(outs(), inputs({ deletionPolicy: 'cancel' })).result.changes).toBe(true);
  });
});
