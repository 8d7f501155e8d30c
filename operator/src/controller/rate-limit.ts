/** A token bucket: the global rate limit of requests towards VVP, shared by every reconcile. */

/** Options of a token bucket. */
export interface TokenBucketOptions {
  /** Sustained requests per second; 0 or less disables the limit. @default 50 */
  qps?: number;
  /** Requests allowed in a burst. @default 2 × qps */
  burst?: number;
  /** Injected clock in ms. @default Date.now */
  now?: () => number;
  /** Injected sleep. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A FIFO token bucket; `acquire()` resolves when a request may go out. */
export class TokenBucket {
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TokenBucketOptions = {}) {
    this.qps = options.qps ?? 50;
    this.burst = Math.max(1, options.burst ?? Math.ceil(this.qps * 2));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Waits for one token (callers are served in order). */
  acquire(): Promise<void> {
    if (this.qps <= 0) return Promise.resolve();
    const next = this.chain.then(() => this.take());
    this.chain = next;
    return next;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.qps) * 1000));
    }
  }
}
