/**
 * The controller: list + watch the CRs of each watched namespace (resourceVersion, relist on 410, bookmarks),
 * enqueue the CRs this instance owns, resync periodically, and run reconciles through the keyed queue, each on the
 * cached CR.
 */
import { errorFacts, messageOf } from '../../../core/src/errors';
import { OWNER_LABEL } from '../../../core/src/model/deployment';
import { keyOf, type KubeApi, type VvpDeploymentResource, type WatchEvent } from '../kube/types';
import type { Logger } from '../runtime/logger';
import { WorkQueue } from './queue';
import type { ReconcileResult, Reconciler } from './reconcile';

/** Options of the controller. */
export interface ControllerOptions {
  kube: KubeApi;
  reconciler: Reconciler;
  instanceId: string;
  namespaces: string[];
  log: Logger;
  /** Keys reconciled in parallel. @default 4 */
  concurrency?: number;
  /** Every CR is reconciled at least this often, in ms. @default 300000 */
  resyncMs?: number;
  /** Server-side watch timeout in seconds (the watch is then resumed). @default 300 */
  watchTimeoutSeconds?: number;
  /** Delay before re-listing after a failed list or watch, in ms. @default 1000 */
  relistDelayMs?: number;
  /** Called after each reconcile (metrics). */
  onReconciled?(key: string, result: ReconcileResult, durationMs: number): void;
  /** Called when the set of managed CRs changes (metrics). */
  onManagedCount?(count: number): void;
  /** Injected clock (ms) for the resync's "reconciled recently" rule. @default Date.now */
  now?: () => number;
  /** Backoff of the queue. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** A running controller. */
export class Controller {
  readonly queue: WorkQueue;
  private readonly cache = new Map<string, VvpDeploymentResource>();
  private readonly synced = new Set<string>();
  /** When each key's last reconcile ended (ms since epoch). */
  private readonly lastRun = new Map<string, number>();
  private readonly watches = new Map<string, { stop(): void }>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Keys enqueued by the resync and not reconciled since (their reconcile reads the Autopilot status). */
  private readonly resyncing = new Set<string>();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly now: () => number;

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
    this.queue = new WorkQueue({
      concurrency: options.concurrency ?? 4,
      ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
      ...(options.backoffMaxMs !== undefined ? { backoffMaxMs: options.backoffMaxMs } : {}),
      handler: (key) => this.handle(key),
      onError: (key, err) => options.log.error({ key, err: messageOf(err) }, 'reconcile threw'),
    });
  }

  /** True once every namespace has been listed. */
  hasSynced(): boolean {
    return this.options.namespaces.every((ns) => this.synced.has(ns));
  }

  /** Number of CRs this instance manages (owner label matches). */
  managedCount(): number {
    let n = 0;
    for (const cr of this.cache.values()) if (this.owns(cr)) n++;
    return n;
  }

  /** Starts watching and reconciling. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.queue.start();
    for (const ns of this.options.namespaces) this.loops.push(this.watchLoop(ns));
    const resyncMs = this.options.resyncMs ?? 300_000;
    // a CR reconciled within the last half period has a fresh enough observation: it waits for the next tick
    this.resyncTimer = setInterval(() => this.resync({ skipWithinMs: resyncMs / 2 }), resyncMs);
    this.resyncTimer.unref?.();
  }

  /** Stops watching, lets in-flight reconciles finish, and resolves. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    for (const w of this.watches.values()) w.stop();
    await this.queue.stop();
    await Promise.allSettled(this.loops);
  }

  /** Enqueues every managed CR (periodic resync), except those whose last reconcile ended within `skipWithinMs`. */
  resync(options: { skipWithinMs?: number } = {}): void {
    const since = this.now() - (options.skipWithinMs ?? 0);
    for (const [key, cr] of this.cache) {
      if (!this.owns(cr)) continue;
      if (options.skipWithinMs !== undefined && (this.lastRun.get(key) ?? 0) > since) continue;
      this.resyncing.add(key);
      this.queue.add(key);
    }
  }

  private owns(cr: VvpDeploymentResource): boolean {
    return cr.metadata.labels?.[OWNER_LABEL] === this.options.instanceId;
  }

  private async handle(key: string): Promise<{ retry?: boolean; requeueAfterMs?: number }> {
    const started = Date.now();
    let result: ReconcileResult;
    try {
      // the watch cache's copy: the reconciler GETs the CR only when the cache may lack its own last write
      const resync = this.resyncing.delete(key);
      result = await this.options.reconciler.reconcile(key, this.cache.get(key), { resync });
    } catch (err) {
      result = { result: 'retry', message: messageOf(err) };
    }
    if (this.options.reconciler.ownWrites.settle(key)) this.queue.add(key);
    const ms = Date.now() - started;
    this.lastRun.set(key, this.now());
    this.options.onReconciled?.(key, result, ms);
    const log = this.options.log;
    if (result.result === 'retry')
      log.warn(
        { key, result: result.result, ms, err: result.message, failures: this.queue.failuresOf(key) + 1 },
        'reconcile will be retried',
      );
    else log.debug({ key, result: result.result, ms }, 'reconciled');
    if (result.result === 'gone' || result.result === 'deleted') {
      this.queue.forget(key);
      this.lastRun.delete(key);
      return {};
    }
    return {
      ...(result.result === 'retry' ? { retry: true } : {}),
      ...(result.requeueAfterMs !== undefined ? { requeueAfterMs: result.requeueAfterMs } : {}),
    };
  }

  private async watchLoop(namespace: string): Promise<void> {
    const log = this.options.log.child({ namespace });
    let resourceVersion: string | undefined;
    while (this.running) {
      try {
        if (resourceVersion === undefined) {
          const list = await this.options.kube.listResources(namespace);
          this.replaceNamespace(namespace, list.items);
          resourceVersion = list.resourceVersion;
          this.synced.add(namespace);
          log.info({ count: list.items.length }, 'listed VvpDeployments');
        }
        let gone = false;
        const onEvent = (e: WatchEvent) => {
          if (e.type === 'ERROR') {
            if (e.status.code === 410) gone = true;
            else log.warn({ code: e.status.code, msg: e.status.message }, 'watch error event');
            return;
          }
          if (e.object.metadata?.resourceVersion) resourceVersion = e.object.metadata.resourceVersion;
          if (e.type === 'BOOKMARK') return;
          this.observe(e.type, e.object);
        };
        const handle = this.options.kube.watchResources(namespace, resourceVersion, onEvent, {
          timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
        });
        this.watches.set(namespace, handle);
        await handle.done;
        this.watches.delete(namespace);
        if (gone) {
          log.info({}, 'watch expired (410 Gone); relisting');
          resourceVersion = undefined;
        }
      } catch (err) {
        if (!this.running) break;
        const status = errorFacts(err)?.status;
        // after a failed list or watch the cache may have missed events: relist (level-based, so this is safe)
        resourceVersion = undefined;
        log.warn({ err: messageOf(err), status }, 'list/watch failed; relisting');
        await new Promise((r) => setTimeout(r, this.options.relistDelayMs ?? 1000));
      }
    }
  }

  private replaceNamespace(namespace: string, items: VvpDeploymentResource[]): void {
    const seen = new Set<string>();
    for (const cr of items) {
      const key = keyOf(cr);
      seen.add(key);
      this.observe('ADDED', cr, { force: true });
    }
    for (const key of [...this.cache.keys()]) {
      if (key.startsWith(`${namespace}/`) && !seen.has(key)) this.cache.delete(key);
    }
    this.options.onManagedCount?.(this.managedCount());
  }

  private observe(
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    cr: VvpDeploymentResource,
    opts: { force?: boolean } = {},
  ): void {
    const key = keyOf(cr);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.lastRun.delete(key);
      this.queue.forget(key);
      this.options.reconciler.forget(key);
      this.options.onManagedCount?.(this.managedCount());
      return;
    }
    const before = this.cache.get(key);
    this.cache.set(key, cr);
    const ownWrites = this.options.reconciler.ownWrites;
    ownWrites.observed(key, cr.metadata.resourceVersion);
    if (!before || this.owns(before) !== this.owns(cr)) this.options.onManagedCount?.(this.managedCount());
    if (!this.owns(cr)) return;
    // the watch echo of our own write carries nothing new (own-writes.ts decides)
    if (!opts.force && !ownWrites.isNews(key, cr.metadata.resourceVersion, this.queue.isRunning(key))) return;
    this.queue.add(key);
  }
}
