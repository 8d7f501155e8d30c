/**
 * The platform handlers over the real client against the in-process emulator's strict profiles: the refusals VVP
 * makes (409 while referenced, 405 for savepoint deletion in VVP 2.4) reach the user with the references and the
 * fix; a savepoint deletion in VVP 3; a stopped session cluster started by an edit; a missing session cluster.
 */
import { startEmulator, type EmulatorHandle } from '../../../emulator/src/index';
import { createVvpClient, platformApi } from '../../../vvp-client/src/index';
import { createHandlers } from '../../src/handlers';
import type { HandlerDeps } from '../../src/operation';
import { platformHandlersFor } from '../../src/platform/index';

const TOKEN = 'platform-int-token-3c2b1a';
const NS = 'default';
const artifact = { kind: 'JAR', jarUri: 's3://a/orders.jar' };

for (const profile of ['vvp-2.4', 'vvp-3'] as const) {
  describe(`platform handlers against profile ${profile}`, () => {
    let emu: EmulatorHandle;
    let deps: HandlerDeps;
    const conn = () => ({ baseUrl: emu.url, apiToken: TOKEN });
    const h = (type: string) => platformHandlersFor(`vvp:index:${type}`, deps)!;
    const api = () => platformApi(createVvpClient({ baseUrl: emu.url, token: TOKEN }));
    const deployment = (name: string, spec: Record<string, unknown>) => ({
      syncingMode: 'PATCH',
      ...conn(),
      resourceUrn: `urn:pulumi:t::p::vvp:index:Deployment::${name}`,
      deployment: {
        metadata: { name, namespace: NS },
        spec: { state: 'RUNNING', template: { spec: { artifact } }, ...spec },
      },
      waitFor: { state: true, timeoutSeconds: 30 },
      deletionPolicy: 'cancel',
    });

    beforeAll(async () => {
      emu = await startEmulator({ transitionDelayMs: 10, token: TOKEN, profile });
      deps = {
        clientFor: (c) =>
          createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}), retryBaseMs: 1 }),
        log: { info: () => undefined, warn: () => undefined },
        env: {},
        pollMs: { initial: 5, max: 20 },
      };
    });
    afterAll(() => emu.stop());

    it('refuses to delete a target a deployment and a session cluster reference, naming both', async () => {
      const target = { name: 'jobs', kubernetesNamespace: 'vvp-jobs', ...conn() };
      const t = await h('DeploymentTarget').create(target);
      const cluster = { name: 'shared', deploymentTargetName: 'jobs', state: 'STOPPED', ...conn() };
      await h('SessionCluster').create(cluster);
      const d = await createHandlers(deps).create(
        deployment('orders', { deploymentTargetName: 'jobs', state: 'CANCELLED' }),
      );
      await expect(h('DeploymentTarget').delete(t.id, target)).rejects.toThrow(
        'deployment target default/jobs: VVP refuses to delete it while it is referenced by deployment orders, session cluster shared',
      );
      await createHandlers(deps).delete(
        d.id,
        deployment('orders', { deploymentTargetName: 'jobs', state: 'CANCELLED' }),
      );
      await h('SessionCluster').delete('x', cluster);
      await h('DeploymentTarget').delete(t.id, target);
      expect(await api().findTarget(NS, 'jobs')).toBeUndefined();
    });

    it('starts a stopped session cluster by an edit, runs a session-mode job on it, and refuses deletion while it is used', async () => {
      await h('DeploymentTarget').create({ name: 'jobs2', kubernetesNamespace: 'vvp-jobs', ...conn() });
      const cluster = {
        name: 'shared2',
        deploymentTargetName: 'jobs2',
        state: 'STOPPED',
        numberOfTaskManagers: 1,
        ...conn(),
      };
      const made = await h('SessionCluster').create(cluster);
      expect(made.outs.actualState).toBe('STOPPED');
      const running = { ...cluster, state: 'RUNNING', numberOfTaskManagers: 2 };
      const edited = await h('SessionCluster').update(made.id, made.outs, running);
      expect(edited.outs.actualState).toBe('RUNNING');
      expect((await api().findSessionCluster(NS, 'shared2'))?.spec.numberOfTaskManagers).toBe(2);
      const clicks = deployment('clicks', { sessionClusterName: 'shared2' });
      const d = await createHandlers(deps).create(clicks);
      expect(d.outs.actualState).toBe('RUNNING');
      // destroy of the cluster first (out of order): VVP refuses the stop or the delete while the job uses it
      await expect(h('SessionCluster').delete(made.id, running)).rejects.toThrow(
        'session cluster default/shared2: VVP refuses to stop or delete it while deployment(s) clicks use it; delete those deployments or move them to another cluster first',
      );
      await createHandlers(deps).delete(d.id, clicks);
      await h('SessionCluster').delete(made.id, running);
      expect(await api().findSessionCluster(NS, 'shared2')).toBeUndefined();
    });

    it('warns at check and fails at create for a session cluster that does not exist', async () => {
      const warned: string[] = [];
      await createHandlers({ ...deps, log: { info: () => undefined, warn: (m) => warned.push(m) } }).check(
        {},
        deployment('lost', { sessionClusterName: 'nope' }),
      );
      expect(warned).toEqual([expect.stringContaining("session cluster 'nope' does not exist in namespace 'default'")]);
      await expect(createHandlers(deps).create(deployment('lost', { sessionClusterName: 'nope' }))).rejects.toThrow(
        'session cluster nope does not exist in VVP namespace default',
      );
      expect(await createVvpClient({ baseUrl: emu.url, token: TOKEN }).findDeployment(NS, 'lost')).toBeUndefined();
    });

    it(`deletes a savepoint with deletionPolicy delete ${profile === 'vvp-3' ? '(VVP 3 can)' : 'refused with the fix (VVP 2.4 answers 405)'}`, async () => {
      await h('DeploymentTarget').create({ name: 'jobs3', kubernetesNamespace: 'vvp-jobs', ...conn() });
      const orders = deployment('orders3', { deploymentTargetName: 'jobs3' });
      await createHandlers(deps).create(orders);
      const sp = { deploymentName: 'orders3', deletionPolicy: 'delete', waitFor: { timeoutSeconds: 30 }, ...conn() };
      const made = await h('Savepoint').create(sp);
      expect(made.outs).toMatchObject({ state: 'COMPLETED', origin: 'USER_REQUEST' });
      if (profile === 'vvp-3') {
        await h('Savepoint').delete(made.id, sp);
        const after = await api().findSavepoint(NS, made.id);
        expect(after === undefined || ['PENDING_DELETION', 'DELETING'].includes(after.status?.state ?? '')).toBe(true);
      } else {
        await expect(h('Savepoint').delete(made.id, sp)).rejects.toThrow(
          `savepoint of deployment default/orders3: this VVP cannot delete savepoints (DELETE /savepoints/${made.id} answered 405); set deletionPolicy to "retain"`,
        );
      }
    });
  });
}
