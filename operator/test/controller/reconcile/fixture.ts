/** The reconcile test fixture: FakeKube + FakeVvpClient + an injected clock, and the seed CR (tests/fixtures/seed). */
import { putDefinition, seedSpec as seed } from '../../../../tests/fixtures/seed';
import { FakeVvpClient } from '../../../../vvp-client/src/testing';
import { createReconciler, type Reconciler } from '../../../src/controller/reconcile';
import { createEventRecorder } from '../../../src/controller/recorder';
import { FakeKube } from '../../../src/kube/testing';
import type { VvpDeploymentResource } from '../../../src/kube/types';
import { silentLogger } from '../../../src/runtime/logger';

export const NS = 'team-a';
export const KEY = `${NS}/my-deployment`;
export const OWNER = 'my-operator';

export const seedSpec = (over: Record<string, unknown> = {}) => seed('my-deployment', over);
export const putSpec = (state = 'CANCELLED') => ({
  syncingMode: 'PUT',
  deployment: putDefinition('my-deployment', state),
});

export interface Setup {
  kube: FakeKube;
  vvp: FakeVvpClient;
  r: Reconciler;
  tokens: (string | undefined)[];
  clock: { t: number };
}

export function setup(): Setup {
  const kube = new FakeKube();
  const vvp = new FakeVvpClient();
  const tokens: (string | undefined)[] = [];
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const r = createReconciler({
    kube,
    vvp: (token) => {
      tokens.push(token);
      return vvp;
    },
    instanceId: OWNER,
    recorder: createEventRecorder(kube, silentLogger),
    log: silentLogger,
    now: () => new Date(clock.t),
  });
  return { kube, vvp, r, tokens, clock };
}

export function applyCr(
  kube: FakeKube,
  spec: unknown,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): VvpDeploymentResource {
  return kube.apply({
    metadata: {
      name: 'my-deployment',
      namespace: NS,
      labels: meta.labels ?? { 'ververica.platform/owner': OWNER },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
    },
    spec,
  });
}

export const cond = (kube: FakeKube, type: string) =>
  kube.get(NS, 'my-deployment')?.status?.conditions?.find((c) => c.type === type);
export const status = (kube: FakeKube) => kube.get(NS, 'my-deployment')!.status!;
export const vvpDeployment = (vvp: FakeVvpClient) => vvp.deployments.get('default/my-deployment')!;
