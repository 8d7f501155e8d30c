/** delete() against the emulator: deletionPolicy requireInactive, cancel, suspend, retain. */
import { emu, logs, h, name, inputs, until, vvp, createRunning } from './fixture';

describe('delete', () => {
  it('requireInactive refuses an active deployment with guidance', async () => {
    const c = await createRunning();
    await expect(h.delete(c.id, c.outs)).rejects.toThrow(
      /is RUNNING; deletionPolicy requireInactive deletes only inactive deployments.*Set deployment.spec.state to "CANCELLED" and run `pulumi up`/,
    );
    expect(vvp().status?.state).toBe('RUNNING');
  });
  it('requireInactive deletes an inactive deployment', async () => {
    const c = await h.create(inputs());
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('cancel sets CANCELLED, waits and deletes', async () => {
    const c = await createRunning({ deletionPolicy: 'cancel' });
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
    expect(
      emu
        .writes()
        .filter((w) => w.path.endsWith(`/deployments/${name}`))
        .map((w) => w.method),
    ).toEqual(['PATCH', 'DELETE']);
  });
  it('suspend takes the deployment to SUSPENDED before deleting', async () => {
    const c = await createRunning({ deletionPolicy: 'suspend' });
    await h.delete(c.id, c.outs);
    expect(logs.some((l) => /actual state .* → SUSPENDED/.test(l.message))).toBe(true);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('retain leaves the deployment in VVP', async () => {
    const c = await createRunning({ deletionPolicy: 'retain' });
    await h.delete(c.id, c.outs);
    expect(vvp().status?.state).toBe('RUNNING');
  });
  it('cancels a FAILED deployment whose spec state is RUNNING before deleting it', async () => {
    emu.faults.setBehaviour({ failJobs: name });
    const c = await h.create(inputs({ waitFor: { state: false } }, { state: 'RUNNING', maxJobCreationAttempts: 1 }));
    await until(() => vvp().status?.state === 'FAILED');
    await h.delete(c.id, c.outs);
    expect(() => vvp()).toThrow(/does not exist/);
  });
  it('counts a deployment that is already gone as deleted', async () => {
    const c = await h.create(inputs());
    emu.store.deleteDeployment('default', name);
    await expect(h.delete(c.id, c.outs)).resolves.toBeUndefined();
  });
});
