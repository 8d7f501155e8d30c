/** Platform handler fixture: handlers over FakeVvpClient; the injected sleep lets VVP move (clusters, savepoints). */
import { FakeVvpClient } from '../../../vvp-client/src/testing';
import type { Handlers } from '../../src/handlers';
import { platformHandlersFor } from '../../src/platform/index';

export const CONN = { baseUrl: 'http://fake-vvp', apiToken: 'tok-s3cr3t' };
export let fake: FakeVvpClient;
export let logs: string[];
/** What VVP does while the provider sleeps; by default clusters reach their spec state, savepoints complete. */
export let onSleep: () => void;

export function settleAll(): void {
  for (const [path, o] of fake.objects) {
    const spec = o.spec as Record<string, unknown> | undefined;
    if (path.includes('/sessionclusters/')) o.status = { state: spec?.state ?? 'STOPPED' };
  }
  for (const sp of fake.savepoints.values()) sp.status = { state: 'COMPLETED' };
}

beforeEach(() => {
  fake = new FakeVvpClient();
  logs = [];
  onSleep = settleAll;
});

export function setOnSleep(fn: () => void): void {
  onSleep = fn;
}

/** The handlers of a platform type over the fake. */
export function handlers(type: string, now = () => Date.now()): Handlers {
  return platformHandlersFor(`vvp:index:${type}`, {
    clientFor: () => fake,
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`) },
    env: {},
    now,
    sleep: async () => onSleep(),
    pollMs: { initial: 1, max: 1 },
  })!;
}

/** The request calls (method and path) the fake saw, writes only. */
export const writes = () => fake.writes().map((c) => `${String(c.args[0])} ${String(c.args[1])}`);

/** Puts a deployment into the fake. */
export async function deployment(name: string, spec: Record<string, unknown>, state = 'RUNNING') {
  const d = await fake.createDeployment('default', { metadata: { name }, spec: spec as never });
  fake.setActual('default', name, state as never);
  return d;
}
