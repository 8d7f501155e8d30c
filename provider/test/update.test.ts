/** update() against the emulator: projection, waits, nonces. */
import { emu, h, name, warnings, jar, inputs, putInputs, vvp, createRunning } from './fixture';

describe('update', () => {
  it('projects a config change with exactly one PATCH and records the event', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({}, { maxJobCreationAttempts: 3 }));
    const writes = emu
      .writes()
      .slice(before)
      .filter((w) => w.path.includes('/deployments'));
    expect(writes.map((w) => w.method)).toEqual(['PATCH']);
    expect(vvp().spec.maxJobCreationAttempts).toBe(3);
    expect(r.outs.lastChange).toBe('config');
    expect(emu.store.listEvents('default', { deploymentId: c.id }).map((e) => e.spec.message)).toContain(
      'Pulumi projected deployment config (mode=PATCH)',
    );
  });
  it('in PUT mode reads first, resets omitted fields, and keeps system annotations and the description', async () => {
    const c = await h.create(putInputs({}, { maxJobCreationAttempts: 2 }));
    emu.store.patchDeployment('default', name, {
      metadata: { description: 'set in VVP', annotations: { 'com.dataartisans.appmanager.controller.x': 'keep' } },
    });
    const before = emu.requests.length;
    await h.update(
      c.id,
      c.outs,
      putInputs(
        {},
        {
          maxJobCreationAttempts: undefined,
          template: {
            spec: {
              artifact: jar,
              parallelism: 2,
              resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '2g' } },
            },
          },
        },
      ),
    );
    const reqs = emu.requests.slice(before).filter((r) => r.path.endsWith(`/deployments/${name}`));
    expect(reqs.map((r) => r.method)).toEqual(['GET', 'PUT']);
    const d = vvp();
    expect(d.spec.maxJobCreationAttempts).toBe(4); // back to VVP's default
    expect(d.spec.template?.spec?.parallelism).toBe(2);
    expect(d.metadata.description).toBe('set in VVP');
    expect(d.metadata.annotations?.['com.dataartisans.appmanager.controller.x']).toBe('keep');
  });
  it('waits for RUNNING after a state change and posts the state change event', async () => {
    const c = await h.create(inputs());
    const r = await h.update(c.id, c.outs, inputs({}, { state: 'RUNNING' }));
    expect(r.outs).toMatchObject({ actualState: 'RUNNING', lastChange: 'state', jobId: expect.any(String) });
    expect(emu.store.listEvents('default', { deploymentId: c.id }).map((e) => e.spec.message)).toContain(
      'Pulumi projected deployment config (mode=PATCH) including state change: CANCELLED → RUNNING',
    );
  });
  it('triggers one savepoint for a new savepointNonce while RUNNING and can wait for COMPLETED', async () => {
    const c = await createRunning({ savepointNonce: 1 });
    const before = emu.writes().length;
    const r = await h.update(
      c.id,
      c.outs,
      inputs({ savepointNonce: 2, waitFor: { savepoint: true } }, { state: 'RUNNING' }),
    );
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(1);
    expect(r.outs).toMatchObject({ lastChange: 'savepoint', lastProcessedSavepointNonce: 2, blockedNonces: [] });
    expect(r.outs.lastSavepoint).toMatchObject({
      nonce: 2,
      savepointId: expect.any(String),
      state: 'COMPLETED',
      location: expect.any(String),
    });
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.includes('/deployments/')),
    ).toHaveLength(0);
  });
  it('restarts the job for a new restartNonce and reports the new job id', async () => {
    const c = await createRunning();
    const r = await h.update(c.id, c.outs, inputs({ restartNonce: 1 }, { state: 'RUNNING' }));
    expect(r.outs).toMatchObject({ lastChange: 'restart', lastProcessedRestartNonce: 1, actualState: 'RUNNING' });
    expect(r.outs.jobId).not.toBe(c.outs.jobId);
    expect(vvp().spec.template?.metadata?.annotations?.['ververica.platform/restart-nonce']).toBe('1');
  });
  it('waits for the new job after a template change of a running deployment and reports its id', async () => {
    const c = await createRunning();
    const r = await h.update(
      c.id,
      c.outs,
      inputs({}, { state: 'RUNNING', template: { spec: { artifact: jar, parallelism: 3 } } }),
    );
    expect(r.outs).toMatchObject({ lastChange: 'config', actualState: 'RUNNING' });
    expect(r.outs.jobId).not.toBe(c.outs.jobId);
    expect(r.outs.jobId).toBe(vvp().status?.running?.jobId);
  });
  it('does not wait for a new job when the upgrade strategy is NONE', async () => {
    const c = await createRunning();
    const none = { state: 'RUNNING', upgradeStrategy: { kind: 'NONE' } };
    const first = await h.update(c.id, c.outs, inputs({}, none));
    const r = await h.update(
      c.id,
      first.outs,
      inputs({}, { ...none, template: { spec: { artifact: jar, parallelism: 3 } } }),
    );
    expect(r.outs.jobId).toBe(c.outs.jobId);
  });
  it('runs the savepoint before the restart when both nonces change', async () => {
    const c = await createRunning();
    const before = emu.writes().length;
    await h.update(c.id, c.outs, inputs({ savepointNonce: 1, restartNonce: 1 }, { state: 'RUNNING' }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => !w.path.endsWith('/events'))
        .map((w) => w.method + ' ' + w.path.split('/').pop()),
    ).toEqual(['POST savepoints', `PATCH ${name}`]);
  });
  it('blocks a nonce change while CANCELLED: warns, consumes it and records it', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ savepointNonce: 5 }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(0);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /SavepointBlocked: savepoint nonce 5 needs spec and actual state RUNNING \(spec CANCELLED, actual CANCELLED\)/,
      ),
    ]);
    expect(r.outs).toMatchObject({
      lastProcessedSavepointNonce: 5,
      blockedNonces: [{ kind: 'savepoint', value: 5, reason: expect.stringMatching(/^SavepointBlocked/) }],
    });
    // consumed: the same value again is no change
    expect((await h.diff(c.id, r.outs, inputs({ savepointNonce: 5 }))).changes).toBe(false);
  });
  it('projects the spec before processing nonces, so RUNNING plus a nonce in one update triggers', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ savepointNonce: 1 }, { state: 'RUNNING' }));
    expect(
      emu
        .writes()
        .slice(before)
        .filter((w) => w.path.endsWith('/savepoints')),
    ).toHaveLength(1);
    expect(r.outs.lastSavepoint).toMatchObject({ nonce: 1 });
  });
  it('makes no deployment write for a settings-only update', async () => {
    const c = await h.create(inputs());
    const before = emu.writes().length;
    const r = await h.update(c.id, c.outs, inputs({ deletionPolicy: 'cancel' }));
    expect(emu.writes().length).toBe(before);
    expect(r.outs).toMatchObject({ deletionPolicy: 'cancel', lastChange: 'none' });
  });
});
