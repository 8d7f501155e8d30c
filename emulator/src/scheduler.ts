/**
 * Time for the emulator: when each state-machine phase, savepoint and injected latency happens. The real scheduler
 * uses timers and the wall clock; a ManualScheduler lets tests step time instead of sleeping.
 */

/** Cancels a scheduled task. */
export type Cancel = () => void;

/** Runs tasks later and tells the time. */
export interface Scheduler {
  /** Runs `fn` after `ms` milliseconds; the returned function cancels it. */
  after(ms: number, fn: () => void): Cancel;
  /** The current time. */
  now(): Date;
}

/** Timers (unref'd, so they never keep a process alive) and the wall clock. */
export const realScheduler: Scheduler = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  now: () => new Date(),
};

interface Task {
  at: number;
  seq: number;
  fn: () => void;
}

/** A virtual clock for tests: nothing runs until the test advances it. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private tasks: Task[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.time = start.getTime();
  }

  after(ms: number, fn: () => void): Cancel {
    const task: Task = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.tasks.push(task);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  now(): Date {
    return new Date(this.time);
  }

  /** Number of tasks waiting. */
  pending(): number {
    return this.tasks.length;
  }

  /** Moves the clock forward by `ms`, running every task due on the way (in time order); returns how many ran. */
  advance(ms: number): number {
    const end = this.time + ms;
    let ran = 0;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.tasks = this.tasks.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      next.fn();
      ran++;
    }
    this.time = end;
    return ran;
  }

  /** Runs tasks (advancing the clock to each) until none is left; throws after `limit` tasks (a loop). */
  runAll(limit = 10_000): number {
    let ran = 0;
    while (this.tasks.length > 0) {
      if (ran >= limit)
        throw new Error(`ManualScheduler.runAll: more than ${limit} tasks; is something rescheduling forever?`);
      const next = this.nextDue(Infinity)!;
      ran += this.advance(next.at - this.time);
    }
    return ran;
  }

  private nextDue(end: number): Task | undefined {
    let best: Task | undefined;
    for (const t of this.tasks)
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    return best;
  }
}
