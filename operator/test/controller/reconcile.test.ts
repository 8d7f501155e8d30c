/** One reconcile end to end: the CR read, validated, the deployment found or created, the status written. */
import { applyCr, cond, KEY, NS, OWNER, putSpec, seedSpec, setup, status, vvpDeployment } from './reconcile/fixture';

describe('creating a deployment', () => {
  it('creates the deployment in CANCELLED with initFields merged under the deployment, stamped, and reports it in status', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('success');
    const [ns, body] = vvp.callsOf('createDeployment')[0]!.args as [string, any];
    expect(ns).toBe('default');
    expect(body.spec.template.spec.resources).toEqual({
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    });
    expect(body.metadata.labels['ververica.platform/owner']).toBe(OWNER);
    expect(body.metadata.annotations['ververica.platform/cr-uid']).toBe(kube.get(NS, 'my-deployment')!.metadata.uid);
    const s = status(kube);
    expect(s.deploymentId).toBe(vvpDeployment(vvp).metadata.id);
    expect(s.observedGeneration).toBe(1);
    expect(s.observedSpecState).toBe('CANCELLED');
    expect(s.actualState).toBe('CANCELLED');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True', reason: 'DeploymentExists' });
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'True', reason: 'Converged' });
    expect(kube.get(NS, 'my-deployment')!.metadata.finalizers).toEqual(['ververica.platform/finalizer']);
    expect(kube.eventsFor('my-deployment').map((e) => e.reason)).toContain('Created');
    expect(vvp.events.map((e) => e.spec.message)).toEqual(['Kubernetes operator created deployment']);
  });

  it('ignores CRs whose owner label names another instance', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { labels: { 'ververica.platform/owner': 'someone-else' } });
    expect((await r.reconcile(KEY)).result).toBe('skipped');
    expect(vvp.calls).toEqual([]);
    expect(kube.callsOf('setFinalizers')).toEqual([]);
  });

  it('finds the deployment it created before a crash instead of creating a second one', async () => {
    const { kube, vvp, r } = setup();
    const cr = applyCr(kube, seedSpec());
    await vvp.createDeployment('default', {
      ...seedSpec().deployment,
      metadata: {
        name: 'my-deployment',
        namespace: 'default',
        labels: { 'ververica.platform/owner': OWNER },
        annotations: { 'ververica.platform/cr-uid': cr.metadata.uid },
      },
    } as any);
    vvp.calls.length = 0;
    await r.reconcile(KEY);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
    expect(vvp.deployments.size).toBe(1);
    expect(status(kube).deploymentId).toBe(vvpDeployment(vvp).metadata.id);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True' });
  });

  it('reports NameConflict and touches nothing when the name belongs to a deployment without our stamp', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    await vvp.createDeployment('default', {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
    vvp.calls.length = 0;
    expect((await r.reconcile(KEY)).result).toBe('failed');
    expect(vvp.writes()).toEqual([]);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'NameConflict' });
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'False', reason: 'NameConflict' });
    await r.reconcile(KEY);
    expect(kube.eventsFor('my-deployment').filter((e) => e.reason === 'NameConflict')).toHaveLength(1);
  });

  it('adopts an unstamped deployment when the CR carries ververica.platform/adopt: "true", and stamps it', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { annotations: { 'ververica.platform/adopt': 'true' } });
    await vvp.createDeployment('default', {
      metadata: { name: 'my-deployment', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
    vvp.calls.length = 0;
    await r.reconcile(KEY);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
    expect(vvp.callsOf('patchDeployment')).toHaveLength(1);
    expect(vvpDeployment(vvp).metadata.labels?.['ververica.platform/owner']).toBe(OWNER);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True' });
  });

  it('creates in PUT mode with a PUT of the full definition', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, putSpec());
    await r.reconcile(KEY);
    expect(vvp.callsOf('putDeployment')).toHaveLength(1);
    expect(vvp.callsOf('createDeployment')).toHaveLength(0);
  });

  it('records nonces present at creation as processed without triggering them', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { ...seedSpec(), savepointNonce: 3, restartNonce: 7 });
    await r.reconcile(KEY);
    expect(status(kube)).toMatchObject({ lastProcessedSavepointNonce: 3, lastProcessedRestartNonce: 7 });
    expect(vvp.callsOf('triggerSavepoint')).toEqual([]);
    expect(cond(kube, 'NonceAligned')).toMatchObject({ status: 'True', reason: 'NoncesProcessed' });
  });

  it('registers initialSavepointSpec once at creation', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { ...seedSpec(), initialSavepointSpec: { savepointLocation: 's3://sp/1' } });
    await r.reconcile(KEY);
    expect(vvp.callsOf('registerSavepoint').map((c) => c.args[2])).toEqual(['s3://sp/1']);
    await r.reconcile(KEY);
    expect(vvp.callsOf('registerSavepoint')).toHaveLength(1);
  });

  it('reads the API token from the Secret named by apikeySecretName (key token, or the only key)', async () => {
    const { kube, r, tokens } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { anything: 's3cr3t-token' });
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'my-vvp-apikey' } });
    await r.reconcile(KEY);
    expect(tokens).toEqual(['s3cr3t-token']);
  });

  it('reports ApiKeySecretMissing (without creating anything) when the Secret does not exist, and never shows a token', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'missing' } });
    const result = await r.reconcile(KEY);
    expect(result).toMatchObject({ result: 'failed' });
    expect(result.requeueAfterMs).toBeGreaterThan(0);
    expect(vvp.calls).toEqual([]);
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'False', reason: 'ApiKeySecretMissing' });
    expect(cond(kube, 'Consistent')!.message).toContain(`${NS}/missing`);
  });

  it('a Kubernetes 403 on the Secret (RBAC denies get secrets) names the RBAC fix, not the VVP token, and is retried', async () => {
    const { kube, vvp, r } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { token: 's3cr3t-token' });
    applyCr(kube, seedSpec(), { annotations: { apikeySecretName: 'my-vvp-apikey' } });
    kube.fail('getSecretData', 403);
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('retry');
    expect(vvp.calls).toEqual([]);
    const c = cond(kube, 'Consistent')!;
    expect(c).toMatchObject({ status: 'False', reason: 'ApiKeySecretMissing' });
    expect(c.message).toContain(`${NS}/my-vvp-apikey`);
    expect(c.message).toContain('RBAC');
    expect(c.message).not.toContain('check the API token');
    // once RBAC allows it, the retry converges
    expect((await r.reconcile(KEY)).result).toBe('success');
    expect(cond(kube, 'Consistent')).toMatchObject({ status: 'True', reason: 'DeploymentExists' });
  });

  it('a VVP 403 gives Unauthorized with the API-token fix and is not retried', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, seedSpec());
    vvp.fail({ method: 'findDeployment', status: 403, message: 'token lacks the role' });
    const result = await r.reconcile(KEY);
    expect(result.result).toBe('failed');
    const c = cond(kube, 'Consistent')!;
    expect(c).toMatchObject({ status: 'False', reason: 'Unauthorized' });
    expect(c.message).toContain('check the API token');
  });

  it('rejects an invalid spec with InvalidSpec listing every problem, and never calls VVP', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, {
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'my-deployment', namespace: 'default' }, spec: { state: 'CANCELLED' } },
      savepointNonce: 1.5,
    });
    expect((await r.reconcile(KEY)).result).toBe('failed');
    expect(vvp.calls).toEqual([]);
    const c = cond(kube, 'SpecAligned')!;
    expect(c).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(c.message).toContain('savepointNonce');
    expect(c.message).toContain('parallelism');
  });
});

describe('Kubernetes requests per reconcile', () => {
  const byMethod = (kube: ReturnType<typeof setup>['kube']) => {
    const out: Record<string, number> = {};
    for (const c of kube.calls) out[c.method] = (out[c.method] ?? 0) + 1;
    return out;
  };
  const annotated = { annotations: { apikeySecretName: 'my-vvp-apikey' } };

  it('creating from the watch cache copy: finalizer, Event and status write, one Secret read, no GET of the CR', async () => {
    const { kube, r } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { token: 's3cr3t-token' });
    const observed = applyCr(kube, seedSpec(), annotated);
    expect((await r.reconcile(KEY, observed)).result).toBe('success');
    expect(byMethod(kube)).toEqual({ setFinalizers: 1, getSecretData: 1, createEvent: 1, patchStatus: 1 });
  });

  it('a later reconcile on the echo of its own write sends nothing to Kubernetes (token reused, nothing changed)', async () => {
    const { kube, r, tokens } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { token: 's3cr3t-token' });
    await r.reconcile(KEY, applyCr(kube, seedSpec(), annotated));
    const echo = kube.get(NS, 'my-deployment')!;
    r.ownWrites.observed(KEY, echo.metadata.resourceVersion);
    kube.calls.length = 0;
    expect((await r.reconcile(KEY, echo)).result).toBe('success');
    expect(kube.calls).toEqual([]);
    expect(tokens).toEqual(['s3cr3t-token', 's3cr3t-token']);
  });

  it('reads the CR fresh while the cache lacks its own last write, and acts on the fresh copy', async () => {
    const { kube, vvp, r } = setup();
    const before = applyCr(kube, seedSpec());
    await r.reconcile(KEY, before);
    const events = kube.events.length;
    kube.calls.length = 0;
    // the watch has not delivered our status write yet: the cache still holds the CR without status.deploymentId
    expect((await r.reconcile(KEY, before)).result).toBe('success');
    expect(kube.callsOf('getResource')).toHaveLength(1);
    // acting on the stale copy would have announced "found the deployment this CR created earlier"
    expect(kube.events).toHaveLength(events);
    expect(vvp.callsOf('createDeployment')).toHaveLength(1);
  });

  it('after a conflict on the finalizer write the retry reads the CR fresh, then trusts the cache again', async () => {
    const { kube, r } = setup();
    const observed = applyCr(kube, seedSpec());
    kube.fail('setFinalizers', 409);
    expect((await r.reconcile(KEY, observed)).result).toBe('retry');
    expect(kube.callsOf('getResource')).toHaveLength(0);
    expect((await r.reconcile(KEY, observed)).result).toBe('success');
    expect(kube.callsOf('getResource')).toHaveLength(1);
    const echo = kube.get(NS, 'my-deployment')!;
    r.ownWrites.observed(KEY, echo.metadata.resourceVersion);
    await r.reconcile(KEY, echo);
    expect(kube.callsOf('getResource')).toHaveLength(1);
  });

  it('after VVP refused the token, the next reconcile reads the Secret again and uses the rotated token', async () => {
    const { kube, vvp, r, tokens } = setup();
    kube.putSecret(NS, 'my-vvp-apikey', { token: 'old-token' });
    const observed = applyCr(kube, seedSpec(), annotated);
    vvp.fail({ method: 'findDeployment', status: 401, message: 'token revoked', times: 1 });
    expect((await r.reconcile(KEY, observed)).result).toBe('failed');
    kube.putSecret(NS, 'my-vvp-apikey', { token: 'new-token' });
    expect((await r.reconcile(KEY)).result).toBe('success');
    expect(tokens).toEqual(['old-token', 'new-token']);
    expect(kube.callsOf('getSecretData')).toHaveLength(2);
  });
});
