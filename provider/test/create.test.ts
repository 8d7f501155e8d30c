/** create() against the emulator: create, adopt or NameConflict, wait, and the outputs Pulumi records. */
import { PROVIDER_KEY } from '../src/inputs';
import { createVvpClient } from '../../vvp-client/src/index';
import { createHandlers } from '../src/handlers';
import { TOKEN, URN, emu, logs, h, name, jar, inputs, putInputs, vvp, createRunning } from './fixture';

describe('create', () => {
  it('creates a PATCH deployment with initFields merged under it, stamped, and records the event', async () => {
    const r = await h.create(inputs({ initFields: { spec: { maxJobCreationAttempts: 2, state: 'RUNNING' } } }));
    const d = vvp();
    expect(r.id).toBe(d.metadata.id);
    expect(d.spec.maxJobCreationAttempts).toBe(2);
    expect(d.spec.state).toBe('CANCELLED');
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe('pulumi');
    expect(d.metadata.annotations?.['ververica.platform/urn']).toBe(URN);
    expect(r.outs).toMatchObject({
      deploymentId: d.metadata.id,
      actualState: 'CANCELLED',
      lastChange: 'none',
      resourceVersion: 1,
    });
    expect(emu.store.listEvents('default', { deploymentId: d.metadata.id }).map((e) => e.spec.message)).toContain(
      'Pulumi created deployment',
    );
  });
  it('makes exactly one lookup and one POST for a CANCELLED deployment', async () => {
    const before = emu.requests.length;
    await h.create(inputs());
    const deploymentRequests = emu.requests.slice(before).filter((r) => r.path.includes('/deployments'));
    expect(deploymentRequests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 201']);
  });
  it('records nonces present at creation as processed without triggering', async () => {
    const before = emu.writes().length;
    const r = await h.create(inputs({ savepointNonce: 4, restartNonce: 7 }));
    expect(r.outs).toMatchObject({ lastProcessedSavepointNonce: 4, lastProcessedRestartNonce: 7 });
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(0);
  });
  it('waits until a RUNNING deployment runs and reports the job', async () => {
    const r = await createRunning();
    expect(r.outs).toMatchObject({ actualState: 'RUNNING', jobId: expect.any(String) });
    expect(logs.some((l) => /actual state CANCELLED → (TRANSITIONING|RUNNING)/.test(l.message))).toBe(true);
  });
  it('adopts its own deployment after an interrupted create instead of making a duplicate', async () => {
    const first = await h.create(inputs());
    const again = await h.create(inputs());
    expect(again.id).toBe(first.id);
    expect(emu.store.listDeployments('default').filter((d) => d.metadata.name === name)).toHaveLength(1);
  });
  it('refuses a deployment with the same name that it does not own (NameConflict)', async () => {
    await h.create(inputs({ resourceUrn: 'urn:other' }));
    await expect(h.create(inputs())).rejects.toThrow(
      /already exists in VVP and is owned by "pulumi"; it was not touched\. Choose another name, or set `adopt: true`/,
    );
  });
  it('takes over a foreign deployment with adopt: true and stamps it', async () => {
    emu.store.createDeployment('default', {
      metadata: { name, namespace: 'default' },
      spec: { deploymentTargetName: 'default', template: { spec: { artifact: jar } } },
    });
    const r = await h.create(inputs({ adopt: true }));
    expect(r.id).toBe(vvp().metadata.id);
    expect(vvp().metadata.annotations?.['ververica.platform/urn']).toBe(URN);
  });
  it('creates with PUT in PUT mode', async () => {
    await h.create(putInputs());
    expect(
      emu
        .writes()
        .filter((w) => w.path.endsWith(`/deployments/${name}`))
        .map((w) => w.method),
    ).toEqual(['PUT']);
  });
  it('returns the id and outputs (with __provider) when the wait fails, so Pulumi records the resource', async () => {
    emu.faults.setBehaviour({ failJobs: name });
    const err = (await h
      .create(inputs({}, { state: 'RUNNING', maxJobCreationAttempts: 1 }))
      .catch((e: unknown) => e)) as { id?: string; properties?: Record<string, unknown>; message: string };
    expect(err.message).toMatch(/became FAILED/);
    expect(err.message).toMatch(/VVP events:/);
    expect(err.id).toBe(vvp().metadata.id);
    expect(err.properties?.[PROVIDER_KEY]).toBe('serialized');
  });
  it('times out with guidance when the state is not reached in time', async () => {
    await expect(h.create(inputs({ waitFor: { timeoutSeconds: 0.001 } }, { state: 'RUNNING' }))).rejects.toThrow(
      /timed out waiting for actual state RUNNING.*raise waitFor.timeoutSeconds/,
    );
  });
  it('never puts the token into an error', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/deployments$', status: 400, message: `bad ${TOKEN}` });
    const err = (await h.create(inputs()).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/failed with 400/);
    expect(err.message).not.toContain(TOKEN);
  });
  it('uses VVP_URL and VVP_API_TOKEN when the inputs name no connection', async () => {
    const withEnv = createHandlers({
      clientFor: (c) => createVvpClient(c.token ? { baseUrl: c.baseUrl, token: c.token } : { baseUrl: c.baseUrl }),
      log: { info: () => undefined, warn: () => undefined },
      env: { VVP_URL: emu.url, VVP_API_TOKEN: TOKEN },
    });
    const { baseUrl: _b, apiToken: _t, ...rest } = inputs();
    await expect(withEnv.create(rest)).resolves.toMatchObject({ id: expect.any(String) });
  });
  it('names every way to configure VVP when no URL is found', async () => {
    const { baseUrl: _b, ...rest } = inputs();
    await expect(h.create(rest)).rejects.toThrow(
      /no VVP URL; set `baseUrl` on the resource, the VVP_URL environment variable, or `pulumi config set vvp:baseUrl/,
    );
  });

  it('a deployment target VVP lacks fails the create naming it and how to create it (PATCH and PUT mode)', async () => {
    const expected =
      'deployment target missing-target does not exist in VVP namespace default: create it (VVP UI → Deployment Targets, or the REST API POST /api/v1/namespaces/default/deployment-targets) or fix spec.deploymentTargetName';
    for (const make of [inputs, putInputs]) {
      const mark = emu.requests.length;
      const err = await h.create(make({}, { deploymentTargetName: 'missing-target' })).catch((e: unknown) => e);
      expect((err as Error).message).toBe(expected);
      expect(() => emu.store.getDeployment('default', name)).toThrow();
      const lookups = emu.requests.slice(mark).filter((r) => r.path.includes('/deployment-targets/'));
      expect(lookups.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404']);
    }
  });

  it("another refusal of the create keeps VVP's own message", async () => {
    const err = await h.create(inputs({}, { maxJobCreationAttempts: 0 })).catch((e: unknown) => e);
    expect((err as Error).message).toContain('Invalid spec.maxJobCreationAttempts 0');
    expect((err as Error).message).not.toContain('deployment target');
  });
});
