/**
 * `--data-dir`: the state as one JSON file, replaced atomically (write a temporary file, fsync it, rename it over
 * the old one, fsync the directory). Writes are group-committed: a request is answered only after a save that
 * started after its change has finished, so every acknowledged write survives a kill.
 */
import { existsSync, mkdirSync, readFileSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { VvpEvent, VvpJob, VvpSavepoint } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import type { Json } from './json';
import { resumeDeletions } from './activity';
import { restorePolicies, snapshotPolicies } from './autopilot';
import { schedule } from './machine';
import { restoreSecrets, snapshotSecrets } from './secrets';
import { restoreClusters, snapshotClusters } from './sessionclusters';
import type { ApiToken, DeploymentRecord, Namespace, PlatformState } from './state';

/** The message of a thrown value (an fs error of another realm too, as under jest). */
const reasonOf = (err: unknown): string =>
  typeof (err as Error | undefined)?.message === 'string' ? (err as Error).message : String(err);

/**
 * Creates the data directory and its missing parents one level at a time (Node's recursive mkdir never returns
 * under /proc); a directory that cannot be made is an error naming the flag and the fix.
 */
export function makeDataDir(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  try {
    for (const d of missing) mkdirSync(d);
  } catch (err) {
    throw new Error(
      `cannot create --data-dir ${dir} (${reasonOf(err)}): pass a directory the emulator may create and write`,
    );
  }
}

/** The name of the state file inside the data directory. */
export const STATE_FILE = 'vvp-emulator-state.json';

/** A JSON snapshot of everything. */
export function snapshot(s: PlatformState): Json {
  return {
    tokens: [...s.tokens.values()],
    namespaces: [...s.namespaces.values()].map((ns) => ({
      name: ns.name,
      createTime: ns.createTime,
      defaults: ns.defaults,
      targets: [...ns.targets.values()],
      deployments: [...ns.deployments.values()].map((r) => ({
        deployment: r.deployment,
        attempts: r.attempts,
        savepointAttempts: r.savepointAttempts,
        stop: r.stop,
        manager: r.manager,
      })),
      jobs: [...ns.jobs.values()],
      savepoints: [...ns.savepoints.values()],
      events: ns.events,
      // ADR 0010 resources
      sessionClusters: snapshotClusters(ns),
      secretValues: snapshotSecrets(ns),
      autopilot: snapshotPolicies(ns),
    })),
  };
}

/** Restores a snapshot and resumes unfinished transitions. */
export function restore(s: PlatformState, snap: Json): void {
  for (const ns of s.namespaces.values()) for (const rec of ns.deployments.values()) rec.cancel?.();
  s.namespaces.clear();
  s.tokens.clear();
  for (const t of (snap.tokens as ApiToken[]) ?? []) s.tokens.set(t.secret, t);
  for (const n of (snap.namespaces as Json[]) ?? []) {
    const ns: Namespace = {
      name: String(n.name),
      createTime: String(n.createTime),
      lifecyclePhase: 'LIFECYCLE_PHASE_ACTIVE',
      roleBindings: [],
      defaults: (n.defaults as Json) ?? {},
      targets: new Map(((n.targets as Json[]) ?? []).map((t) => [String((t.metadata as Json).name), t])),
      deployments: new Map(),
      jobs: new Map(((n.jobs as VvpJob[]) ?? []).map((j) => [j.metadata.id, j])),
      savepoints: new Map(((n.savepoints as VvpSavepoint[]) ?? []).map((sp) => [sp.metadata.id, sp])),
      events: ((n.events as VvpEvent[]) ?? []).slice(-s.maxEvents),
    };
    for (const r of (n.deployments as DeploymentRecord[]) ?? []) {
      const rec: DeploymentRecord = {
        deployment: r.deployment,
        attempts: r.attempts,
        savepointAttempts: r.savepointAttempts,
        ...(r.stop ? { stop: r.stop } : {}),
        ...(r.manager !== undefined ? { manager: r.manager } : {}),
      };
      ns.deployments.set(r.deployment.metadata.name, rec);
    }
    s.namespaces.set(ns.name, ns);
    restoreClusters(s, ns, n.sessionClusters);
    restoreSecrets(ns, n.secretValues);
    resumeDeletions(s, ns);
  }
  for (const ns of s.namespaces.values()) for (const rec of ns.deployments.values()) schedule(s, rec);
  // after the machine resumed: a scaling in progress takes its deployment over again
  for (const n of (snap.namespaces as Json[]) ?? []) restorePolicies(s, s.namespaces.get(String(n.name))!, n.autopilot);
}

/** Reads the saved state of a data directory, if any; a damaged file is an error naming it. */
export function loadState(dir: string): Json | undefined {
  const file = path.join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    throw new Error(
      `cannot read the saved state ${file}: ${err instanceof Error ? err.message : String(err)}; move it away to start empty`,
    );
  }
}

/** The file operations a save needs (a test may replace them to simulate a full disk). */
export interface SaveFs {
  write(dir: string, file: string, text: string): Promise<void>;
}

/** Atomic replace: temporary file, fsync, rename, fsync of the directory. */
export const atomicFs: SaveFs = {
  async write(dir, file, text) {
    const target = path.join(dir, file);
    const tmp = `${target}.tmp`;
    // owner-only: the state holds secret values (ADR 0010)
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
    const d = await fsp.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  },
};

interface Batch {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function batch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The save error as an HTTP answer: 507 for a full disk or quota, 503 otherwise. */
export function saveError(dir: string, err: unknown): HttpError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = reasonOf(err);
  return new HttpError(
    code === 'ENOSPC' || code === 'EDQUOT' ? 507 : 503,
    `The emulator could not save its state in --data-dir ${dir} (${reason}); the change is not durable: free space or restore the directory, then retry`,
  );
}

/** Saves snapshots of the state: on demand for writes (group commit), lazily for state-machine changes. */
export class Durable {
  /** The last save error, until a save succeeds. */
  failure: unknown;
  private running = false;
  private next: Batch | undefined;
  private lazy: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly take: () => Json,
    private readonly fs: SaveFs = atomicFs,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Resolves once a save that started after this call has finished; rejects with the save error. */
  commit(): Promise<void> {
    this.next ??= batch();
    const { promise } = this.next;
    if (!this.running) void this.run();
    return promise;
  }

  /** Saves soon, without a waiting request (state-machine phases); errors are logged once per failure. */
  soon(): void {
    if (this.lazy) return;
    this.lazy = setTimeout(() => {
      this.lazy = undefined;
      this.commit().catch(() => undefined);
    }, 20);
    this.lazy.unref();
  }

  /** Waits for the saves in flight and saves once more (when stopping). */
  async close(): Promise<void> {
    if (this.lazy) clearTimeout(this.lazy);
    this.lazy = undefined;
    await this.commit().catch(() => undefined);
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.next) {
      const current = this.next;
      this.next = undefined;
      try {
        // the snapshot is taken now, so it holds every change made before the batch's commit() calls
        await this.fs.write(this.dir, STATE_FILE, JSON.stringify(this.take()));
        if (this.failure) this.log('vvp-emulator: saving the state works again');
        this.failure = undefined;
        current.resolve();
      } catch (err) {
        if (!this.failure) this.log(`vvp-emulator: ${saveError(this.dir, err).message}`);
        this.failure = err;
        current.reject(err);
      }
    }
    this.running = false;
  }
}
