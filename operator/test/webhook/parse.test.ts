/** The webhook's parsing layer and bounded answers: wrong types, unknown operations, garbage old objects, bulk. */
import {
  MAX_LISTED_PROBLEMS,
  MAX_MESSAGE_BYTES,
  MAX_WARNINGS,
  boundWarnings,
  renderProblems,
} from '../../src/webhook/messages';
import { operationLabel, parseReview } from '../../src/webhook/parse';
import { answerReview, type AdmissionReview } from '../../src/webhook/review';

const OWNER = 'my-operator';
const cr = (): any => ({
  apiVersion: 'ververica.platform/v1',
  kind: 'VvpDeployment',
  metadata: { name: 'orders', namespace: 'team-a', labels: { 'ververica.platform/owner': OWNER } },
  spec: {
    syncingMode: 'PATCH',
    deployment: { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'CANCELLED' } },
  },
});
const invalidCr = () => {
  const c = cr();
  c.spec.syncingMode = 'SIDEWAYS';
  return c;
};
const body = (request: Record<string, unknown>) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u-1', namespace: 'team-a', name: 'orders', ...request },
});
const opts = { instanceId: OWNER, namespaces: ['team-a'] };
const answer = async (b: unknown) => {
  const a = await answerReview(b, opts);
  const response = (a.body as AdmissionReview).response;
  return { ...a, response, text: response?.status?.message ?? (a.body as { message?: string }).message ?? '' };
};

describe('webhook parsing layer', () => {
  it('the 151-byte review that ended the process (DELETE, namespace an object) is denied naming request.namespace', async () => {
    const text =
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"DELETE","namespace":{"toString":"x"}}}';
    const a = await answer(JSON.parse(text));
    expect(a.status).toBe(200);
    expect(a.response).toMatchObject({ uid: 'u', allowed: false, status: { code: 400 } });
    expect(a.text).toContain('request.namespace');
  });

  it.each([['CONNECT'], ['create'], ['FOO'], [null], [42], [undefined]])(
    'fails closed on operation %p: denied with a message naming request.operation',
    async (operation) => {
      const a = await answer(body({ operation, object: invalidCr() }));
      expect(a.response!.allowed).toBe(false);
      expect(a.text).toContain('request.operation');
      expect(['CONNECT', 'other']).toContain(a.operation);
    },
  );

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a string', 'garbage'],
    ['an array', []],
    ['metadata a string', { metadata: 'x', spec: {} }],
    ['labels not strings', { metadata: { labels: { a: { b: 1 } } }, spec: {} }],
  ])('UPDATE with an oldObject %s is denied naming request.oldObject', async (_what, oldObject) => {
    const a = await answer(body({ operation: 'UPDATE', object: cr(), oldObject }));
    expect(a.response!.allowed).toBe(false);
    expect(a.text).toContain('request.oldObject');
  });

  it.each([
    ['missing', undefined],
    ['a number', 7],
    ['status.actualState an object', { ...cr(), status: { deploymentId: 'd1', actualState: { toString: 'x' } } }],
    ['deletionTimestamp a number', { ...cr(), metadata: { ...cr().metadata, deletionTimestamp: 1 } }],
  ])('DELETE with an oldObject %s is denied with a message naming the field', async (_what, oldObject) => {
    const a = await answer(body({ operation: 'DELETE', oldObject }));
    expect(a.response!.allowed).toBe(false);
    expect(a.text).toMatch(/request\.oldObject/);
  });

  it('CREATE without an object, or with metadata of the wrong type, is denied naming the field', async () => {
    expect((await answer(body({ operation: 'CREATE' }))).text).toContain('request.object');
    const a = await answer(body({ operation: 'CREATE', object: { metadata: [], spec: {} } }));
    expect(a.text).toContain('request.object.metadata');
  });

  it('a review of another kind, or a namespace that differs from the object, is denied', async () => {
    const other = await answer(
      body({ operation: 'CREATE', object: cr(), kind: { group: '', version: 'v1', kind: 'Pod' } }),
    );
    expect(other.text).toContain('request.kind');
    const moved = await answer(body({ operation: 'CREATE', object: cr(), namespace: 'team-b' }));
    expect(moved.text).toContain('request.object.metadata.namespace');
  });

  it.each([
    ['an array', 'body', []],
    ['no request', 'request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }],
    ['a uid object', 'request.uid', { request: { uid: { toString: 'x' }, operation: 'CREATE' } }],
    ['an empty uid', 'request.uid', { request: { uid: '', operation: 'CREATE' } }],
    ['another apiVersion', 'apiVersion', { apiVersion: 'v2', request: { uid: 'u' } }],
    ['another kind', 'kind', { kind: 'Pod', request: { uid: 'u' } }],
  ])('a body that cannot be answered (%s) is a 400 naming %s', async (_what, path, b) => {
    const a = await answer(b);
    expect(a.status).toBe(400);
    expect(a.text).toContain(path);
  });

  it('a review nested 10,000 levels deep is denied naming where, without a stack overflow', async () => {
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = { a: v };
    const object = cr();
    object.spec.deployment.spec.flinkConfiguration = v;
    const a = await answer(body({ operation: 'CREATE', object }));
    expect(a.response!.allowed).toBe(false);
    expect(a.text).toContain('request.object.spec.deployment.spec.flinkConfiguration.a');
  });

  it('100k bad labels give a bounded answer: 50 problems listed, "and N more", at most 8 KiB', async () => {
    const object = cr();
    object.spec.deployment.metadata.labels = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const a = await answer(body({ operation: 'CREATE', object }));
    expect(a.response!.allowed).toBe(false);
    expect(Buffer.byteLength(a.text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(a.text).toMatch(/and \d+ more$/);
    expect(a.message).toBe(a.text);
    const problems = Array.from({ length: 100_000 }, (_, i) => ({
      path: `metadata.labels.k${i}`,
      message: 'x'.repeat(300),
    }));
    const text = renderProblems(problems);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(text).toContain('1) metadata.labels.k0');
    expect(text).toMatch(/; and \d+ more$/);
    const few = problems.slice(0, MAX_LISTED_PROBLEMS + 3).map((p) => ({ ...p, message: 'bad' }));
    expect(renderProblems(few)).toMatch(/50\) metadata\.labels\.k49: bad; and 3 more$/);
    expect(boundWarnings(Array.from({ length: 500 }, () => 'w'.repeat(1000)))).toHaveLength(MAX_WARNINGS);
  });

  it('metric labels come from a closed set: 500 junk operations give one label', () => {
    const labels = new Set(Array.from({ length: 500 }, (_, i) => operationLabel(`junk-${i}`)));
    expect([...labels]).toEqual(['other']);
    expect(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', {}, null].map(operationLabel)).toEqual([
      'CREATE',
      'UPDATE',
      'DELETE',
      'CONNECT',
      'other',
      'other',
    ]);
  });

  it('a well-formed request parses into the typed shape', () => {
    const p = parseReview(body({ operation: 'UPDATE', object: cr(), oldObject: cr(), dryRun: false }));
    expect(p.kind).toBe('request');
    if (p.kind === 'request')
      expect(p.request).toMatchObject({ uid: 'u-1', operation: 'UPDATE', namespace: 'team-a', dryRun: false });
  });
});
