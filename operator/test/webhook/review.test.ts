import { reviewAdmission, type AdmissionReview, type LiveState } from '../../src/webhook/review';

const OWNER = 'my-operator';
const base = {
  apiVersion: 'ververica.platform/v1',
  kind: 'VvpDeployment',
  metadata: { name: 'my-deployment', namespace: 'team-a', uid: 'u1', labels: { 'ververica.platform/owner': OWNER } },
  spec: {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: {
        state: 'CANCELLED',
        deploymentTargetName: 'default',
        template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a.jar' } } },
      },
    },
  },
};
const clone = <T>(v: T): T => structuredClone(v);

function review(operation: 'CREATE' | 'UPDATE' | 'DELETE', object: unknown, oldObject?: unknown): AdmissionReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'req-1',
      operation,
      namespace: 'team-a',
      name: 'my-deployment',
      object: object as never,
      oldObject: (oldObject ?? null) as never,
    },
  };
}
const opts = (liveState?: () => Promise<LiveState>) => ({
  instanceId: OWNER,
  namespaces: ['team-a'],
  ...(liveState ? { liveState } : {}),
});

describe('admission review', () => {
  it('allows a valid CR and echoes the request uid', async () => {
    const r = await reviewAdmission(review('CREATE', base), opts());
    expect(r.response).toEqual({ uid: 'req-1', allowed: true });
    expect(r.kind).toBe('AdmissionReview');
  });

  it('rejects a CR without the owner label, naming the label and the instanceId', async () => {
    const cr = clone(base) as any;
    delete cr.metadata.labels;
    const r = await reviewAdmission(review('CREATE', cr), opts());
    expect(r.response!.allowed).toBe(false);
    expect(r.response!.status!.message).toContain('ververica.platform/owner');
    expect(r.response!.status!.message).toContain(OWNER);
  });

  it('rejects a switch to PUT without the mandatory fields and lists every missing field at once', async () => {
    const cr = clone(base) as any;
    cr.spec.syncingMode = 'PUT';
    const r = await reviewAdmission(review('UPDATE', cr, base), opts());
    const msg = r.response!.status!.message;
    expect(r.response!.allowed).toBe(false);
    for (const f of [
      'upgradeStrategy.kind',
      'restoreStrategy.kind',
      'parallelism',
      'resources.jobmanager.cpu',
      'resources.taskmanager.memory',
    ])
      expect(msg).toContain(f);
  });

  it('warns about initFields overlapping the deployment but allows the CR', async () => {
    const cr = clone(base) as any;
    cr.spec.initFields = { spec: { state: 'RUNNING' } };
    const r = await reviewAdmission(review('CREATE', cr), opts());
    expect(r.response!.allowed).toBe(true);
    expect(r.response!.warnings!.join(' ')).toContain('initFields.spec.state');
  });

  it('allows a field schema.json does not know and warns with a suggestion (ADR 0011)', async () => {
    const cr = clone(base) as any;
    cr.spec.deployment.spec.template.spec.paralellism = 2;
    const r = await reviewAdmission(review('CREATE', cr), opts());
    expect(r.response!.allowed).toBe(true);
    expect(r.response!.warnings).toEqual([
      expect.stringContaining('spec.template.spec.paralellism is not a known VVP field: did you mean parallelism?'),
    ]);
  });

  it('rejects PUT with initFields on CREATE and only warns on UPDATE', async () => {
    const put = clone(base) as any;
    put.spec.syncingMode = 'PUT';
    put.spec.deployment.spec = {
      ...put.spec.deployment.spec,
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE' },
    };
    put.spec.deployment.spec.template.spec = {
      ...put.spec.deployment.spec.template.spec,
      parallelism: 1,
      resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '1g' } },
    };
    put.spec.initFields = { spec: { template: { spec: { parallelism: 2 } } } };
    expect((await reviewAdmission(review('CREATE', put), opts())).response!.allowed).toBe(false);
    const update = await reviewAdmission(review('UPDATE', put, base), opts());
    expect(update.response!.allowed).toBe(true);
    expect(update.response!.warnings!.join(' ')).toContain('ignored in PUT mode');
  });

  it('rejects changing the deployment name, the owner label, and non-integer nonces, all in one answer', async () => {
    const cr = clone(base) as any;
    cr.spec.deployment.metadata.name = 'other';
    cr.metadata.labels = { 'ververica.platform/owner': 'x' };
    cr.spec.savepointNonce = 1.5;
    const r = await reviewAdmission(review('UPDATE', cr, base), opts());
    const msg = r.response!.status!.message;
    expect(msg).toContain('deployment.metadata.name');
    expect(msg).toContain('immutable');
    expect(msg).toContain('savepointNonce');
    expect(msg).toMatch(/^\d+ problems: 1\) /);
  });

  it('allows metadata-only updates (finalizers) of a CR whose spec is invalid', async () => {
    const bad = clone(base) as any;
    bad.spec.syncingMode = 'PUT';
    const withFinalizer = clone(bad);
    withFinalizer.metadata.finalizers = ['ververica.platform/finalizer'];
    expect((await reviewAdmission(review('UPDATE', withFinalizer, bad), opts())).response!.allowed).toBe(true);
  });

  it('rejects CRs in namespaces the operator does not watch', async () => {
    const cr = clone(base) as any;
    cr.metadata.namespace = 'elsewhere';
    const r = await reviewAdmission(
      { ...review('CREATE', cr), request: { ...review('CREATE', cr).request!, namespace: 'elsewhere' } },
      opts(),
    );
    expect(r.response!.status!.message).toContain('not watched');
  });

  it('rejects DELETE of a deployment VVP reports RUNNING, with the way to proceed', async () => {
    const cr = { ...clone(base), status: { deploymentId: 'd1', actualState: 'CANCELLED' } };
    const r = await reviewAdmission(
      review('DELETE', null, cr),
      opts(async () => ({ found: true, actualState: 'RUNNING' })),
    );
    expect(r.response!.allowed).toBe(false);
    expect(r.response!.status!.message).toContain('RUNNING');
    expect(r.response!.status!.message).toContain(
      "kubectl wait vvpdeployment my-deployment --for=jsonpath='{.status.actualState}'=CANCELLED",
    );
  });

  it('allows DELETE of an inactive deployment', async () => {
    const cr = { ...clone(base), status: { deploymentId: 'd1', actualState: 'RUNNING' } };
    const r = await reviewAdmission(
      review('DELETE', null, cr),
      opts(async () => ({ found: true, actualState: 'CANCELLED' })),
    );
    expect(r.response!.allowed).toBe(true);
  });

  it('falls back to status.actualState when VVP cannot be reached', async () => {
    const cr = { ...clone(base), status: { deploymentId: 'd1', actualState: 'RUNNING' } };
    const r = await reviewAdmission(
      review('DELETE', null, cr),
      opts(async () => Promise.reject(new Error('timed out after 3000 ms'))),
    );
    expect(r.response!.allowed).toBe(false);
    expect(r.response!.warnings!.join(' ')).toContain('timed out');
    const inactive = { ...clone(base), status: { deploymentId: 'd1', actualState: 'SUSPENDED' } };
    expect(
      (
        await reviewAdmission(
          review('DELETE', null, inactive),
          opts(async () => Promise.reject(new Error('down'))),
        )
      ).response!.allowed,
    ).toBe(true);
  });

  it('allows DELETE of a CR that never created a deployment', async () => {
    const r = await reviewAdmission(
      review('DELETE', null, base),
      opts(async () => ({ found: true, actualState: 'RUNNING' })),
    );
    expect(r.response!.allowed).toBe(true);
  });
});
