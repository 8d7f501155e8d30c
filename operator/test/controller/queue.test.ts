import { WorkQueue } from '../../src/controller/queue';
import { TokenBucket } from '../../src/controller/rate-limit';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('work queue', () => {
  it('runs one reconcile per key at a time and re-runs a key that changed while it ran', async () => {
    const runs: string[] = [];
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    const q = new WorkQueue({
      concurrency: 4,
      handler: async (key) => {
        runs.push(key);
        active++;
        maxActive = Math.max(maxActive, active);
        if (runs.length === 1) await gate.promise;
        active--;
        return {};
      },
    });
    q.start();
    q.add('a');
    await flush();
    q.add('a');
    q.add('a');
    await flush();
    expect(runs).toEqual(['a']);
    gate.resolve();
    await flush();
    await flush();
    expect(runs).toEqual(['a', 'a']);
    expect(maxActive).toBe(1);
    await q.stop();
  });

  it('coalesces adds of a waiting key into one run', async () => {
    const runs: string[] = [];
    const q = new WorkQueue({ handler: async (k) => (runs.push(k), {}) });
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    q.start();
    await flush();
    expect(runs.sort()).toEqual(['a', 'b']);
    await q.stop();
  });

  it('runs different keys in parallel up to the concurrency', async () => {
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    const q = new WorkQueue({
      concurrency: 2,
      handler: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await gate.promise;
        active--;
        return {};
      },
    });
    q.start();
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    await flush();
    expect(active).toBe(2);
    expect(q.depth()).toBe(4);
    gate.resolve();
    await flush();
    await flush();
    expect(maxActive).toBe(2);
    await q.stop();
  });

  it('backs off exponentially per key after failures, capped at the maximum', () => {
    const q = new WorkQueue({ handler: async () => ({}), backoffBaseMs: 100, backoffMaxMs: 1000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map((n) => q.backoffMs(n))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const low = new WorkQueue({ handler: async () => ({}), backoffBaseMs: 100, random: () => 0 });
    expect(low.backoffMs(3)).toBe(200);
  });

  it('retries a failing key after its backoff and resets the count on success', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const q = new WorkQueue({
        handler: async () => (++calls < 3 ? { retry: true } : {}),
        backoffBaseMs: 1000,
        random: () => 1,
      });
      q.start();
      q.add('a');
      await jest.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      expect(q.failuresOf('a')).toBe(1);
      await jest.advanceTimersByTimeAsync(999);
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
      await jest.advanceTimersByTimeAsync(2000);
      expect(calls).toBe(3);
      expect(q.failuresOf('a')).toBe(0);
      await q.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stop() waits for in-flight runs and takes no new work', async () => {
    const gate = deferred();
    const runs: string[] = [];
    const q = new WorkQueue({ handler: async (k) => (runs.push(k), await gate.promise, {}) });
    q.start();
    q.add('a');
    await flush();
    let stopped = false;
    const stopping = q.stop().then(() => (stopped = true));
    q.add('b');
    await flush();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(runs).toEqual(['a']);
  });
});

describe('token bucket', () => {
  it('lets a burst through and then spaces requests at the rate', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const bucket = new TokenBucket({
      qps: 10,
      burst: 2,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 4; i++) await bucket.acquire();
    expect(sleeps).toEqual([100, 100]);
    expect(now).toBe(200);
  });
});
