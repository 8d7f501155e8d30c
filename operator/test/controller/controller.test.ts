import { putDefinition } from '../../../tests/fixtures/seed';
import { FakeVvpClient } from '../../../vvp-client/src/testing';
import { Controller } from '../../src/controller/controller';
import { createReconciler, type ReconcileResult, type Reconciler } from '../../src/controller/reconcile';
import { createEventRecorder } from '../../src/controller/recorder';
import { OwnWrites } from '../../src/controller/own-writes';
import { FakeKube } from '../../src/kube/testing';
import { silentLogger } from '../../src/runtime/logger';

/**
 * Resolves once every namespace is listed, `until` holds and the queue is idle (nothing pending, nothing running):
 * a reconcile that an echo would cause is then already visible in `runs`. Fails after 5 s.
 */
async function settled(c: Controller, until: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(c.hasSynced() && until() && c.queue.depth() === 0 && c.queue.inFlight() === 0)) {
    if (Date.now() > deadline) throw new Error('the controller did not settle within 5 s');
    await new Promise((r) => setImmediate(r));
  }
}

function cr(name: string, owner = 'op-1', spec: unknown = { n: 1 }) {
  return { metadata: { name, namespace: 'ns', labels: { 'ververica.platform/owner': owner } }, spec };
}

/** A reconciler that records runs and, like the real one, writes status and remembers its own write. */
function stubReconciler(kube: FakeKube, during?: (key: string, run: number) => void): Reconciler & { runs: string[] } {
  const ownWrites = new OwnWrites();
  const runs: string[] = [];
  return {
    runs,
    async reconcile(key, _observed, trigger): Promise<ReconcileResult> {
      runs.push(trigger?.resync ? `${key} (resync)` : key);
      const [ns, name] = key.split('/') as [string, string];
      during?.(key, runs.length);
      const written = await kube.patchStatus(ns, name, { observedGeneration: 1 });
      ownWrites.record(written);
      return { result: 'success' };
    },
    ownWrites,
    forget: (key) => ownWrites.forget(key),
  };
}

describe('controller', () => {
  it('reconciles the CRs it owns, once each, and ignores the echo of its own status writes', async () => {
    const kube = new FakeKube();
    kube.apply(cr('a'));
    kube.apply(cr('other', 'op-2'));
    const reconciler = stubReconciler(kube);
    const c = new Controller({ kube, reconciler, instanceId: 'op-1', namespaces: ['ns'], log: silentLogger });
    c.start();
    await settled(c, () => reconciler.runs.length >= 1);
    expect(reconciler.runs).toEqual(['ns/a']);
    expect(c.hasSynced()).toBe(true);
    expect(c.managedCount()).toBe(1);
    kube.apply(cr('b'));
    await settled(c, () => reconciler.runs.length >= 2);
    expect(reconciler.runs).toEqual(['ns/a', 'ns/b']);
    await c.stop();
  });

  it('runs a CR again when a user changed it while its reconcile was running', async () => {
    const kube = new FakeKube();
    kube.apply(cr('a'));
    const reconciler = stubReconciler(kube, (_key, run) => {
      if (run === 1) kube.apply(cr('a', 'op-1', { n: 2 }));
    });
    const c = new Controller({ kube, reconciler, instanceId: 'op-1', namespaces: ['ns'], log: silentLogger });
    c.start();
    await settled(c, () => reconciler.runs.length >= 2);
    expect(reconciler.runs).toEqual(['ns/a', 'ns/a']);
    await c.stop();
  });

  it('enqueues every managed CR on resync', async () => {
    const kube = new FakeKube();
    kube.apply(cr('a'));
    kube.apply(cr('b'));
    const reconciler = stubReconciler(kube);
    const c = new Controller({ kube, reconciler, instanceId: 'op-1', namespaces: ['ns'], log: silentLogger });
    c.start();
    await settled(c, () => reconciler.runs.length >= 2);
    c.resync();
    await settled(c, () => reconciler.runs.length >= 4);
    // the reconcile learns it is the resync (where the Autopilot status is read: ADR 0011); watch events are not
    expect(reconciler.runs.sort()).toEqual(['ns/a', 'ns/a (resync)', 'ns/b', 'ns/b (resync)']);
    await c.stop();
  });

  it('the periodic resync leaves out CRs reconciled within the last half period (their observation is fresh)', async () => {
    const kube = new FakeKube();
    kube.apply(cr('a'));
    const reconciler = stubReconciler(kube);
    const clock = { t: 1_000_000 };
    const c = new Controller({
      kube,
      reconciler,
      instanceId: 'op-1',
      namespaces: ['ns'],
      log: silentLogger,
      now: () => clock.t,
    });
    c.start();
    await settled(c, () => reconciler.runs.length >= 1);
    clock.t += 5_000;
    kube.apply(cr('b'));
    await settled(c, () => reconciler.runs.length >= 2);
    clock.t += 5_000;
    c.resync({ skipWithinMs: 6_000 });
    await settled(c, () => reconciler.runs.length >= 3);
    expect(reconciler.runs).toEqual(['ns/a', 'ns/b', 'ns/a (resync)']);
    c.resync({ skipWithinMs: 60_000 });
    await settled(c);
    expect(reconciler.runs).toHaveLength(3);
    c.resync();
    await settled(c, () => reconciler.runs.length >= 5);
    expect(reconciler.runs.slice(3).sort()).toEqual(['ns/a (resync)', 'ns/b (resync)']);
    await c.stop();
  });

  it('a burst of new CRs costs per CR one finalizer PATCH, one Event and one status write; no GET of a CR, one Secret read', async () => {
    const kube = new FakeKube();
    kube.putSecret('ns', 'vvp-apikey', { token: 's3cr3t-token' });
    const N = 12;
    for (let i = 0; i < N; i++)
      kube.apply({
        metadata: {
          name: `d-${i}`,
          namespace: 'ns',
          labels: { 'ververica.platform/owner': 'op-1' },
          annotations: { apikeySecretName: 'vvp-apikey' },
        },
        spec: { syncingMode: 'PUT', deployment: putDefinition(`d-${i}`, 'CANCELLED') },
      });
    const vvp = new FakeVvpClient();
    const reconciler = createReconciler({
      kube,
      vvp: () => vvp,
      instanceId: 'op-1',
      recorder: createEventRecorder(kube, silentLogger),
      log: silentLogger,
    });
    const c = new Controller({ kube, reconciler, instanceId: 'op-1', namespaces: ['ns'], log: silentLogger });
    c.start();
    const ready = () =>
      [...kube.resources.values()].every((r) =>
        r.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
      );
    await settled(c, ready);
    const count = (m: string) => kube.calls.filter((x) => x.method === m).length;
    expect(count('getResource')).toBe(0);
    expect(count('getSecretData')).toBe(1);
    expect([count('setFinalizers'), count('createEvent'), count('patchStatus')]).toEqual([N, N, N]);
    // a resync reconciles every CR again from the cache: nothing is read or written
    kube.calls.length = 0;
    vvp.calls.length = 0;
    c.resync();
    await settled(c, () => vvp.callsOf('findDeployment').length === N);
    expect(kube.calls).toEqual([]);
    await c.stop();
  });
});
