/**
 * Lease-based leader election (coordination.k8s.io/v1), the client-go way: a lease counts as expired when its
 * record has not changed for leaseDuration on *our* clock, so clock skew between replicas does not matter.
 */
import { messageOf } from '../../../core/src/errors';
import { isConflict } from '../../../core/src/errors';
import type { KubeApi, Lease } from '../kube/types';
import type { Logger } from './logger';

/** Options of a leader elector. */
export interface LeaderElectorOptions {
  kube: KubeApi;
  namespace: string;
  name: string;
  /** This replica's identity (unique per process). */
  identity: string;
  /** @default 15000 */
  leaseDurationMs?: number;
  /** How often to try to acquire or renew. @default 2000 */
  retryPeriodMs?: number;
  /** A leader that could not renew for this long steps down. @default 10000 */
  renewDeadlineMs?: number;
  log: Logger;
  /** Injected clock in ms. @default Date.now */
  now?: () => number;
}

/** Formats a time as a Kubernetes MicroTime (RFC 3339 with exactly six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Acquires and renews one Lease. */
export class LeaderElector {
  private leader = false;
  private observed: { record: string; at: number } | undefined;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: LeaderElectorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True while this replica holds the lease. */
  isLeader(): boolean {
    return this.leader;
  }

  /** One attempt to acquire or renew; returns whether we hold the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const o = this.options;
    const durationS = Math.ceil((o.leaseDurationMs ?? 15000) / 1000);
    const nowMs = this.now();
    const lease = await o.kube.getLease(o.namespace, o.name);
    if (!lease) {
      try {
        await o.kube.createLease({
          metadata: { name: o.name, namespace: o.namespace },
          spec: {
            holderIdentity: o.identity,
            leaseDurationSeconds: durationS,
            acquireTime: microTime(nowMs),
            renewTime: microTime(nowMs),
            leaseTransitions: 0,
          },
        });
        return this.held(nowMs);
      } catch (err) {
        if (isConflict(err, 'kubernetes')) return false;
        throw err;
      }
    }
    const holder = lease.spec.holderIdentity ?? '';
    const record = `${holder}|${lease.spec.renewTime ?? ''}`;
    if (!this.observed || this.observed.record !== record) this.observed = { record, at: nowMs };
    const durationMs = (lease.spec.leaseDurationSeconds ?? durationS) * 1000;
    const expired = holder === '' || this.observed.at + durationMs <= nowMs;
    if (holder !== o.identity && !expired) return false;
    const next: Lease = {
      metadata: {
        name: o.name,
        namespace: o.namespace,
        ...(lease.metadata.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
      },
      spec: {
        holderIdentity: o.identity,
        leaseDurationSeconds: durationS,
        acquireTime: holder === o.identity ? (lease.spec.acquireTime ?? microTime(nowMs)) : microTime(nowMs),
        renewTime: microTime(nowMs),
        leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (holder === o.identity ? 0 : 1),
      },
    };
    try {
      await o.kube.replaceLease(next);
      return this.held(nowMs);
    } catch (err) {
      if (isConflict(err, 'kubernetes')) return false;
      throw err;
    }
  }

  private held(nowMs: number): boolean {
    this.lastRenew = nowMs;
    return true;
  }

  /**
   * Runs until stop(): calls `onStarted` once the lease is acquired and `onStopped` when it is lost (a leader
   * that cannot renew within the renew deadline steps down).
   */
  run(handlers: { onStarted(): void; onStopped(): void }): void {
    const o = this.options;
    const tick = async () => {
      if (this.stopped) return;
      let holds = false;
      try {
        holds = await this.tryAcquireOrRenew();
      } catch (err) {
        o.log.warn({ lease: `${o.namespace}/${o.name}`, err: messageOf(err) }, 'leader election attempt failed');
      }
      if (this.stopped) return;
      if (holds && !this.leader) {
        this.leader = true;
        o.log.info({ lease: `${o.namespace}/${o.name}`, identity: o.identity }, 'became leader');
        handlers.onStarted();
      } else if (!holds && this.leader && this.now() - this.lastRenew > (o.renewDeadlineMs ?? 10000)) {
        this.leader = false;
        o.log.error({ lease: `${o.namespace}/${o.name}`, identity: o.identity }, 'lost the leader lease');
        handlers.onStopped();
        return;
      }
      this.timer = setTimeout(() => void tick(), o.retryPeriodMs ?? 2000);
    };
    void tick();
  }

  /** Stops renewing and, when leading, releases the lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leader) return;
    this.leader = false;
    const o = this.options;
    try {
      const lease = await o.kube.getLease(o.namespace, o.name);
      if (lease?.spec.holderIdentity === o.identity) {
        await o.kube.replaceLease({
          metadata: lease.metadata,
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) },
        });
        o.log.info({ lease: `${o.namespace}/${o.name}` }, 'released the leader lease');
      }
    } catch (err) {
      o.log.warn({ err: messageOf(err) }, 'releasing the leader lease failed; it expires on its own');
    }
  }
}
