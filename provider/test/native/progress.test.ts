import { withProgress } from '../../src/native/progress';

describe('withProgress', () => {
  it('logs state, elapsed time and the time left at every interval until the operation settles', async () => {
    const lines: string[] = [];
    let clock = 1_000_000;
    let release!: () => void;
    const running = new Promise<void>((r) => (release = r));
    const result = withProgress(
      {
        log: { info: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`) },
        subject: 'deployment default/orders',
        action: 'creating',
        timeoutSeconds: 60,
        probe: async () => 'TRANSITIONING',
        intervalMs: 5,
        now: () => (clock += 10_000),
      },
      async () => {
        await running;
        return 'done';
      },
    );
    while (lines.length < 2) await new Promise((r) => setTimeout(r, 5));
    release();
    expect(await result).toBe('done');
    const settled = lines.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(lines).toHaveLength(settled); // nothing after the operation ended
    expect(lines[0]).toMatch(
      /^deployment default\/orders: still creating: actual state TRANSITIONING, \d+ s elapsed, deadline in \d+ s$/,
    );
  });

  it('reports an unknown state when VVP cannot be read, and passes failures through', async () => {
    const lines: string[] = [];
    const failing = withProgress(
      {
        log: { info: (m) => lines.push(m), warn: () => undefined },
        subject: 'deployment default/x',
        action: 'deleting',
        probe: async () => {
          throw new Error('down');
        },
        intervalMs: 2,
      },
      () => new Promise((_, reject) => setTimeout(() => reject(new Error('boom')), 40)),
    );
    await expect(failing).rejects.toThrow('boom');
    expect(lines[0]).toMatch(/still deleting: actual state unknown, \d+ s elapsed, deadline in 300 s/);
  });
});
