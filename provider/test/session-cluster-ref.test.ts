/** A deployment's sessionClusterName against VVP at check time: a warning when the cluster is missing. */
import { FakeVvpClient } from '../../vvp-client/src/testing';
import { createHandlers } from '../src/handlers';
import { UNKNOWN } from '../src/inputs';
import { sessionClusterRef } from '../src/session-cluster-ref';

let fake: FakeVvpClient;
let warnings: string[];
const h = (clientFor = () => fake) =>
  createHandlers({ clientFor, log: { info: () => undefined, warn: (m) => warnings.push(m) }, env: {} });
const props = (sessionClusterName: unknown) => ({
  syncingMode: 'PATCH',
  baseUrl: 'http://fake-vvp',
  deployment: {
    metadata: { name: 'clicks', namespace: 'default' },
    spec: {
      state: 'RUNNING',
      sessionClusterName,
      template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a/b.jar' } } },
    },
  },
});
const MISSING =
  "deployment default/clicks: session cluster 'shared' does not exist in namespace 'default'; create it first";

beforeEach(() => {
  fake = new FakeVvpClient();
  warnings = [];
});

describe('sessionClusterName validation', () => {
  it('reads the reference, skipping values unknown during preview', () => {
    expect(sessionClusterRef(props('shared').deployment)).toEqual({ namespace: 'default', name: 'shared' });
    expect(sessionClusterRef(props(UNKNOWN).deployment)).toBeUndefined();
    expect(sessionClusterRef(props(undefined).deployment)).toBeUndefined();
  });

  it('warns at check when the cluster is missing, and says nothing once it exists', async () => {
    const r = await h().check({}, props('shared'));
    expect(r.failures).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining(MISSING)]);
    warnings = [];
    fake.objects.set('/api/v1/namespaces/default/sessionclusters/shared', { metadata: { name: 'shared' }, spec: {} });
    await h().check({}, props('shared'));
    expect(warnings).toEqual([]);
  });

  it('skips the lookup when VVP is not reachable at check time', async () => {
    const down = () => {
      throw new Error('no client');
    };
    await expect(h(down).check({}, props('shared'))).resolves.toMatchObject({ failures: [] });
    expect(warnings).toEqual([]);
  });
});
