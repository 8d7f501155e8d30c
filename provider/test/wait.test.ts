/** Bounded waits on a stepped clock: progress lines at least every 10 s, deadlines, terminal states. */
import type { VvpDeployment, VvpSavepoint } from '../../core/src/index';
import type { VvpClient } from '../../vvp-client/src/index';
import { waitForSavepoint, waitForState, type WaitContext } from '../src/wait';

const ref = { namespace: 'default', name: 'orders' };
const deployment = (state: string): VvpDeployment =>
  ({
    metadata: { id: 'd1', name: 'orders', namespace: 'default' },
    spec: { state: 'RUNNING' },
    status: { state },
  }) as VvpDeployment;

/** A clock moved only by the waits' sleeps; VVP answers `stateAt(now)`. */
function setup(stateAt: (t: number) => string, savepointAt?: (t: number) => string) {
  const clock = { t: 0 };
  const lines: string[] = [];
  const sleeps: number[] = [];
  const client = {
    getDeployment: async () => deployment(stateAt(clock.t)),
    listEvents: async () => [],
    getSavepoint: async () =>
      ({
        metadata: { id: 's1', deploymentId: 'd1' },
        spec: {},
        status: { state: savepointAt!(clock.t) },
      }) as VvpSavepoint,
  } as unknown as VvpClient;
  const ctx: WaitContext = {
    client,
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
    now: () => clock.t,
    subject: 'deployment default/orders',
    pollMs: { initial: 200, max: 2000 },
  };
  return { ctx, lines, clock, sleeps };
}

/** The clock times at which a progress line was logged. */
function progressTimes(lines: string[]): string[] {
  return lines.filter((l) => l.includes('still waiting'));
}

describe('waitForState', () => {
  it('logs a progress line (state, elapsed, deadline) at least every 10 s of a long wait', async () => {
    const { ctx, lines, clock } = setup((t) => (t < 45_000 ? 'STARTING' : 'RUNNING'));
    const at: number[] = [];
    const log = ctx.log;
    ctx.log = { ...log, info: (m) => (log.info(m), m.includes('still waiting') && at.push(clock.t)) };
    await waitForState(ctx, ref, { desired: 'RUNNING', deadline: 300_000 });
    expect(at.length).toBeGreaterThanOrEqual(4);
    const gaps = [at[0]!, ...at.slice(1).map((t, i) => t - at[i]!)];
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(10_000);
    expect(progressTimes(lines)[0]).toMatch(
      /^deployment default\/orders: still waiting for actual state RUNNING: STARTING after \d+ s, deadline in \d+ s$/,
    );
  });

  it('logs no progress line in a wait shorter than 10 s', async () => {
    const { ctx, lines } = setup((t) => (t < 3_000 ? 'STARTING' : 'RUNNING'));
    await waitForState(ctx, ref, { desired: 'RUNNING', deadline: 300_000 });
    expect(progressTimes(lines)).toEqual([]);
    expect(lines).toContain('deployment default/orders: actual state unknown → STARTING');
  });

  it('times out at the deadline with guidance, never sleeping past it', async () => {
    const { ctx, sleeps } = setup(() => 'STARTING');
    await expect(waitForState(ctx, ref, { desired: 'RUNNING', deadline: 25_000 })).rejects.toThrow(
      /timed out waiting for actual state RUNNING \(last seen STARTING\); raise waitFor.timeoutSeconds/,
    );
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(25_000);
  });

  it('ends with the state when the deployment becomes FAILED', async () => {
    const { ctx } = setup((t) => (t < 1_000 ? 'STARTING' : 'FAILED'));
    await expect(waitForState(ctx, ref, { desired: 'RUNNING', deadline: 60_000 })).rejects.toThrow(
      /waiting for actual state RUNNING, the deployment became FAILED/,
    );
  });
});

describe('waitForSavepoint', () => {
  it('logs progress at least every 10 s until the savepoint completes', async () => {
    const { ctx, lines } = setup(
      () => 'RUNNING',
      (t) => (t < 25_000 ? 'STARTED' : 'COMPLETED'),
    );
    const started = { metadata: { id: 's1', deploymentId: 'd1' }, spec: {}, status: { state: 'STARTED' } };
    const done = await waitForSavepoint(ctx, 'default', started as VvpSavepoint, { deadline: 300_000 });
    expect(done.status?.state).toBe('COMPLETED');
    expect(progressTimes(lines).length).toBeGreaterThanOrEqual(2);
    expect(progressTimes(lines)[0]).toContain('still waiting for savepoint s1 to complete: STARTED');
  });
});
