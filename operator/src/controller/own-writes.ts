/**
 * Echo suppression in one place: the resourceVersions of the operator's own recent writes to each CR (finalizer,
 * status), the rule that decides whether a watch event about a CR is news or the echo of such a write, and whether
 * the watch has delivered the operator's last write yet (until it has, the watch cache is older than what we wrote).
 */

/** How many recent own writes are remembered per CR. */
const REMEMBERED = 4;
/** How many resourceVersions the watch delivered are remembered per CR (an echo may beat the write's answer). */
const SEEN = 8;

/** Our own writes per CR key and the events that arrived while the key's reconcile ran. */
export class OwnWrites {
  private readonly written = new Map<string, string[]>();
  private readonly whileRunning = new Map<string, string[]>();
  private readonly seen = new Map<string, string[]>();
  /** Per CR: the resourceVersion of our last write while the watch has not delivered it yet. */
  private readonly unechoed = new Map<string, string>();

  /** Remembers a write the operator made (the object the apiserver returned). */
  record(cr: { metadata: { namespace: string; name: string; resourceVersion?: string } } | undefined): void {
    const rv = cr?.metadata.resourceVersion;
    if (!cr || !rv) return;
    const key = `${cr.metadata.namespace}/${cr.metadata.name}`;
    this.written.set(key, [...(this.written.get(key) ?? []), rv].slice(-REMEMBERED));
    if (this.seen.get(key)?.includes(rv)) this.unechoed.delete(key);
    else this.unechoed.set(key, rv);
  }

  /** The watch delivered the CR at `resourceVersion` (the controller's cache holds it now). */
  observed(key: string, resourceVersion: string | undefined): void {
    if (resourceVersion === undefined) return;
    this.seen.set(key, [...(this.seen.get(key) ?? []), resourceVersion].slice(-SEEN));
    if (this.unechoed.get(key) === resourceVersion) this.unechoed.delete(key);
  }

  /** True when the watch has delivered our last write to the CR: the watch cache is not older than it. */
  echoed(key: string): boolean {
    return !this.unechoed.has(key);
  }

  /** A fresh read found the watch cache at the CR's current version: nothing of ours is missing from it. */
  caughtUp(key: string): void {
    this.unechoed.delete(key);
  }

  /** True when `resourceVersion` is the result of one of our own recent writes. */
  isOwn(key: string, resourceVersion: string | undefined): boolean {
    return resourceVersion !== undefined && (this.written.get(key)?.includes(resourceVersion) ?? false);
  }

  /** True when the CR (at `resourceVersion`) was changed by someone else after our last write to it. */
  changedByOthers(key: string, resourceVersion: string | undefined): boolean {
    const last = this.written.get(key)?.at(-1);
    return last !== undefined && last !== resourceVersion;
  }

  /**
   * Judges a watch event: true when the key must be reconciled. While its reconcile runs, our own writes are not
   * all known yet, so the event is kept and judged by `settle` when the run ends.
   */
  isNews(key: string, resourceVersion: string | undefined, running: boolean): boolean {
    if (resourceVersion === undefined) return true;
    if (running) {
      this.whileRunning.set(key, [...(this.whileRunning.get(key) ?? []), resourceVersion]);
      return false;
    }
    return !this.isOwn(key, resourceVersion);
  }

  /** A run of the key ended: true when an event that arrived meanwhile was not our own write. */
  settle(key: string): boolean {
    const seen = this.whileRunning.get(key) ?? [];
    this.whileRunning.delete(key);
    return seen.some((rv) => !this.isOwn(key, rv));
  }

  /** Forgets a CR (deleted, or no longer ours). */
  forget(key: string): void {
    this.written.delete(key);
    this.whileRunning.delete(key);
    this.seen.delete(key);
    this.unechoed.delete(key);
  }
}
