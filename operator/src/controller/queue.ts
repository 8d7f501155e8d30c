/**
 * A keyed, coalescing work queue: one run in flight per key, keys in parallel up to `concurrency`, adds of a
 * queued key coalesce (earliest due time wins), an add while the key runs re-runs it afterwards, and failed keys
 * back off exponentially with jitter.
 */

/** How a run of a key ended, as the queue sees it. */
export interface WorkOutcome {
  /** Back off (exponentially per key) and run again. */
  retry?: boolean;
  /** Run again after this long (polling); ignored when `retry` is set. */
  requeueAfterMs?: number;
}

/** Options of a work queue. */
export interface WorkQueueOptions {
  /** Runs one key. A thrown error counts as `retry`. */
  handler(key: string): Promise<WorkOutcome>;
  /** Keys run in parallel. @default 4 */
  concurrency?: number;
  /** First backoff delay in ms. @default 500 */
  backoffBaseMs?: number;
  /** Longest backoff delay in ms. @default 300000 (5 min) */
  backoffMaxMs?: number;
  /** Injected randomness in [0, 1) for jitter. @default Math.random */
  random?: () => number;
  /** Injected clock in ms. @default Date.now */
  now?: () => number;
  /** Called when a handler throws. */
  onError?(key: string, err: unknown): void;
}

/** The queue. Constructing it does nothing; `start()` begins processing. */
export class WorkQueue {
  private readonly due = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private started = false;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: WorkQueueOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Schedules a key (now, or after `delayMs`); coalesces with an earlier schedule of the same key. */
  add(key: string, delayMs = 0): void {
    if (this.stopping) return;
    if (this.running.has(key) && delayMs <= 0) {
      this.dirty.add(key);
      return;
    }
    const at = this.now() + Math.max(0, delayMs);
    const existing = this.due.get(key);
    if (existing === undefined || at < existing) this.due.set(key, at);
    this.pump();
  }

  /** Keys waiting or running. */
  depth(): number {
    return new Set([...this.due.keys(), ...this.running]).size;
  }

  /** Keys currently running. */
  inFlight(): number {
    return this.running.size;
  }

  /** True while a key's run is in flight. */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Number of consecutive failures of a key (0 after a success). */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Drops a key's schedule and backoff (the CR is gone). */
  forget(key: string): void {
    this.due.delete(key);
    this.failures.delete(key);
    this.dirty.delete(key);
  }

  /** Starts processing. */
  start(): void {
    this.started = true;
    this.pump();
  }

  /** Stops taking work and resolves once in-flight runs have finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** The backoff delay after `failures` consecutive failures (full jitter between half and all of it). */
  backoffMs(failures: number): number {
    const base = this.options.backoffBaseMs ?? 500;
    const max = this.options.backoffMaxMs ?? 300_000;
    const ceiling = Math.min(max, base * 2 ** Math.max(0, failures - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private pump(): void {
    if (!this.started || this.stopping) return;
    const now = this.now();
    let next = Infinity;
    for (const [key, at] of [...this.due].sort((a, b) => a[1] - b[1])) {
      if (this.running.size >= this.concurrency) break;
      if (this.running.has(key)) continue;
      if (at > now) {
        next = Math.min(next, at);
        continue;
      }
      this.due.delete(key);
      void this.run(key);
    }
    if (this.running.size < this.concurrency) {
      for (const [key, at] of this.due) if (!this.running.has(key)) next = Math.min(next, at);
    }
    this.arm(next);
  }

  private arm(at: number): void {
    if (at === Infinity) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
  }

  private async run(key: string): Promise<void> {
    this.running.add(key);
    let outcome: WorkOutcome;
    try {
      outcome = await this.options.handler(key);
    } catch (err) {
      this.options.onError?.(key, err);
      outcome = { retry: true };
    }
    this.running.delete(key);
    if (outcome.retry) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      if (!this.stopping) this.schedule(key, this.dirty.has(key) ? 0 : this.backoffMs(n));
    } else {
      this.failures.delete(key);
      if (outcome.requeueAfterMs !== undefined && !this.stopping) this.schedule(key, outcome.requeueAfterMs);
    }
    if (this.dirty.delete(key) && !this.stopping) this.schedule(key, 0);
    if (this.running.size === 0 && this.stopping) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
    this.pump();
  }

  private schedule(key: string, delayMs: number): void {
    const at = this.now() + delayMs;
    const existing = this.due.get(key);
    if (existing === undefined || at < existing) this.due.set(key, at);
  }
}
