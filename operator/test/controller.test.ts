import { Controller } from '../src/controller/controller';
import type { ReconcileResult, Reconciler } from '../src/controller/reconcile';
import { OwnWrites } from '../src/controller/own-writes';
import { FakeKube } from '../src/kube/testing';
import { silentLogger } from '../src/runtime/logger';

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

function cr(name: string, owner = 'op-1', spec: unknown = { n: 1 }) {
  return { metadata: { name, namespace: 'ns', labels: { 'ververica.platform/owner': owner } }, spec };
}

/** A reconciler that records runs and, like the real one, writes status and remembers its own write. */
function stubReconciler(kube: FakeKube, during?: (key: string, run: number) => void): Reconciler & { runs: string[] } {
  const ownWrites = new OwnWrites();
  const runs: string[] = [];
  return {
    runs,
    async reconcile(key): Promise<ReconcileResult> {
      runs.push(key);
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
    await settle();
    expect(reconciler.runs).toEqual(['ns/a']);
    expect(c.hasSynced()).toBe(true);
    expect(c.managedCount()).toBe(1);
    kube.apply(cr('b'));
    await settle();
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
    await settle();
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
    await settle();
    c.resync();
    await settle();
    expect(reconciler.runs.sort()).toEqual(['ns/a', 'ns/a', 'ns/b', 'ns/b']);
    await c.stop();
  });
});
