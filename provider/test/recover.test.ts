/** A job that ended while RUNNING is desired (FAILED, FINISHED): diff and read show it, update recovers it once. */
import { ResourceInitError } from '../src/errors';
import { emu, h, name, warnings, inputs, vvp, logs, until } from './fixture';

/** Creates a RUNNING deployment whose jobs fail: the create fails, and returns the outputs Pulumi records. */
async function createFailed() {
  emu.faults.setBehaviour({ failJobs: name });
  const news = inputs({}, { state: 'RUNNING', maxJobCreationAttempts: 1 });
  const err = await h.create(news).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ResourceInitError);
  const failed = err as ResourceInitError;
  expect(failed.properties.actualState).toBe('FAILED');
  return { id: failed.id, olds: failed.properties, news };
}

const deploymentWrites = (mark: number) =>
  emu
    .writes()
    .slice(mark)
    .filter((w) => w.path.endsWith(`/deployments/${name}`));

describe('a FAILED job is never reported as success', () => {
  it('diff shows a change (with a warning naming the state and what up does) while the program says RUNNING', async () => {
    const { id, olds, news } = await createFailed();
    logs.length = 0;
    const diff = await h.diff(id, olds, news);
    expect(diff.changes).toBe(true);
    expect(warnings()).toEqual([
      expect.stringContaining(
        `deployment default/${name}: VVP reports the deployment FAILED while the program says RUNNING; the next \`pulumi up\` recovers it (desired state CANCELLED, then RUNNING again`,
      ),
    ]);
    // CANCELLED in the program: FAILED is an inactive state like CANCELLED, nothing to recover
    const cancelled = await h.diff(id, { ...olds, actualState: 'CANCELLED' }, news);
    expect(cancelled.changes).toBe(false);
  });

  it('read (refresh) reports FAILED with a warning', async () => {
    const { id, olds } = await createFailed();
    logs.length = 0;
    const r = await h.read(id, olds);
    expect(r.props?.actualState).toBe('FAILED');
    expect(warnings()).toEqual([expect.stringContaining('VVP reports the deployment FAILED while the program says')]);
  });

  it('update runs the recovery once (CANCELLED, then RUNNING) and fails with guidance while jobs still fail', async () => {
    const { id, olds, news } = await createFailed();
    const mark = emu.writes().length;
    const err = await h.update(id, olds, news).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceInitError);
    const message = (err as Error).message;
    expect(message).toContain(`deployment default/${name}: waiting for the new job to be RUNNING (recovery)`);
    expect(message).toContain('the deployment became FAILED');
    expect(message).toContain('did not reach RUNNING. Fix the cause the VVP events name');
    expect(message).toContain('README "Recovering a FAILED deployment"');
    expect((err as ResourceInitError).properties.actualState).toBe('FAILED');
    expect(deploymentWrites(mark).map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
    const events = emu.store.listEvents('default', { deploymentId: id }).map((e) => e.spec.message);
    expect(events).toEqual(
      expect.arrayContaining([
        'Pulumi projected deployment config (mode=PATCH) including state change: RUNNING → CANCELLED',
        'Pulumi projected deployment config (mode=PATCH) including state change: CANCELLED → RUNNING',
      ]),
    );
  });

  it('update recovers once the cause is gone: the steps are logged and a new job RUNS', async () => {
    const { id, olds, news } = await createFailed();
    emu.faults.clear();
    logs.length = 0;
    const r = await h.update(id, olds, news);
    expect(r.outs).toMatchObject({ actualState: 'RUNNING', jobId: vvp().status?.running?.jobId });
    const lines = logs.map((l) => l.message.replace(`deployment default/${name}: `, ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        'VVP reports the deployment FAILED while the program says RUNNING: recovering',
        'recovery step 1/3: desired state CANCELLED',
        'recovery step 2/3: desired state RUNNING (a new job attempt)',
        'recovery step 3/3: waiting for the new job to be RUNNING',
        expect.stringMatching(/^recovered: job [-0-9a-f]+ is RUNNING$/),
      ]),
    );
    expect((await h.diff(id, r.outs, news)).changes).toBe(false);
  });

  it('FINISHED while RUNNING is desired is recovered the same way', async () => {
    emu.faults.setBehaviour({ finishJobs: name });
    const news = inputs({}, { state: 'RUNNING' });
    // no wait at create: the emulator may finish the job before a wait sees it RUNNING
    const c = await h.create(inputs({ waitFor: { state: false } }, { state: 'RUNNING' }));
    await until(() => vvp().status?.state === 'FINISHED');
    logs.length = 0;
    const olds = (await h.read(c.id, c.outs)).props!;
    expect(olds.actualState).toBe('FINISHED');
    expect(warnings()).toEqual([expect.stringContaining('VVP reports the deployment FINISHED while the program says')]);
    const id = c.id;
    expect((await h.diff(id, olds, { ...news, waitFor: { state: false } })).changes).toBe(true);
    emu.faults.clear();
    const r = await h.update(id, olds, news);
    expect(r.outs.actualState).toBe('RUNNING');
  });
});
