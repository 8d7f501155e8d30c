import { FakeKube } from '../../src/kube/testing';
import { LeaderElector, microTime } from '../../src/runtime/leader';
import { silentLogger } from '../../src/runtime/logger';

describe('leader election', () => {
  const elector = (kube: FakeKube, identity: string, clock: { t: number }) =>
    new LeaderElector({
      kube,
      namespace: 'a',
      name: 'vvp-operator-op-1',
      identity,
      leaseDurationMs: 15000,
      log: silentLogger,
      now: () => clock.t,
    });

  it('acquires a free lease, and a second replica does not while the holder renews', async () => {
    const kube = new FakeKube();
    const clock = { t: 1_000_000 };
    const a = elector(kube, 'a', clock);
    const b = elector(kube, 'b', clock);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 10_000;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.t += 10_000;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(kube.leases.get('a/vvp-operator-op-1')!.spec.holderIdentity).toBe('a');
  });

  it('takes over once the holder stopped renewing for the lease duration (on its own clock)', async () => {
    const kube = new FakeKube();
    const clock = { t: 1_000_000 };
    await elector(kube, 'a', clock).tryAcquireOrRenew();
    const b = elector(kube, 'b', clock);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 15_000;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    const lease = kube.leases.get('a/vvp-operator-op-1')!;
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(Date.parse('2026-01-01T00:00:00.123Z'))).toBe('2026-01-01T00:00:00.123000Z');
  });
});
