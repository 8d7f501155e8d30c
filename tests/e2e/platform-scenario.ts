/**
 * examples/pulumi-platform (TypeScript and YAML on the native provider, TypeScript on vvp-iac/pulumi) under the real
 * pulumi CLI against the emulator's strict profiles (no default deployment target: the program creates its own). Up
 * from nothing, a no-op
 * preview with 0 VVP writes, one edit of each resource (each exactly its write), refresh, destroy in dependency
 * order with the savepoint retained and the defaults released; the secret value and the token never in plain text.
 */
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createVvpClient, platformApi, type PlatformApi } from '../../vvp-client/src/index';
import type { RunResult } from '../harness/proc';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { createNativePulumi, ensureNativeBuilt, nativeStack } from './native-support';
import { LIFECYCLE_PROFILES, type LifecycleProfile } from './profiles';
import { ensureBuilt, isWrite, requestsSince } from './provider-support';

/** The strict profiles of the matrix (tests/e2e/profiles.ts), without their default target: the example makes one. */
export const PLATFORM_PROFILES = LIFECYCLE_PROFILES.map((row) => row.name);

const TOKEN = 'platform-e2e-token-5e4d3c2b1a';
const PASSWORD = 'db-pa55word-never-plain';
const NS = '/api/v1/namespaces/default';

/** `METHOD /path` of each VVP write since `mark` (event posts left out: best effort, profile-dependent). */
export const writesSince = (emu: EmulatorHandle, mark: number): string[] =>
  requestsSince(emu, mark, isWrite)
    .filter((r) => !r.path.endsWith('/events'))
    .map((r) => `${r.method} ${r.path.replace(NS, '')}`);

export function describePlatformExample(
  language: 'typescript' | 'yaml' | 'dynamic',
  profile: LifecycleProfile['name'],
) {
  jest.setTimeout(10 * 60_000);
  let emu: EmulatorHandle;
  let p: Pulumi;
  let stack: PulumiStack;
  let api: PlatformApi;
  const outputs: string[] = [];
  const keep = (r: RunResult) => (outputs.push(r.stdout, r.stderr), r);

  describe(`examples/pulumi-platform/${language} against profile ${profile}`, () => {
    beforeAll(async () => {
      emu = await startEmulator({ transitionDelayMs: 20, token: TOKEN, profile });
      if (language === 'dynamic') {
        // vvp-iac/pulumi: no plugin, no native tools
        await ensureBuilt();
        p = await createPulumi();
        stack = await p.stack(path.join(REPO_ROOT, 'examples', 'pulumi-platform', language), 'test');
        await stack.setConfig('vvp:baseUrl', emu.url);
        await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
      } else {
        await ensureNativeBuilt();
        p = await createNativePulumi();
        stack = await nativeStack(p, path.join('pulumi-platform', language), emu, TOKEN);
      }
      await stack.setConfig('dbPassword', PASSWORD, { secret: true });
      api = platformApi(createVvpClient({ baseUrl: emu.url, token: TOKEN }));
    }, 15 * 60_000);

    afterAll(async () => {
      await p?.cleanup();
      await emu?.stop();
    });

    it('pulumi up builds the namespace from nothing', async () => {
      expect(await api.listTargets('default')).toEqual([]);
      keep(await stack.up());
      const target = await api.findTarget('default', 'jobs');
      expect(target?.spec.kubernetes?.namespace).toBe('vvp-jobs');
      expect((await api.findSessionCluster('default', 'shared'))?.status?.state).toBe('RUNNING');
      const secret = await api.findSecretValue('default', 'db-password');
      expect(secret).toBeDefined();
      expect(JSON.stringify(secret)).not.toContain(PASSWORD);
      expect((await api.getDefaults('default')).spec).toMatchObject({ restoreStrategy: { kind: 'LATEST_STATE' } });
      const orders = emu.store.getDeployment('default', 'orders');
      const clicks = emu.store.getDeployment('default', 'clicks');
      expect([orders.status?.state, clicks.status?.state]).toEqual(['RUNNING', 'RUNNING']);
      expect(clicks.spec.sessionClusterName).toBe('shared');
      const out = await stack.outputs();
      expect(out).toMatchObject({ targetId: target!.metadata.id, sessionClusterState: 'RUNNING' });
      expect(typeof out.savepointLocation).toBe('string');
      const sp = (
        await createVvpClient({ baseUrl: emu.url, token: TOKEN }).listSavepoints('default', {
          deploymentId: orders.metadata.id,
        })
      )[0];
      expect(sp?.status?.state).toBe('COMPLETED');
      expect(sp?.spec.savepointLocation).toBe(out.savepointLocation);
    });

    it('a no-op preview shows no changes and makes zero VVP writes', async () => {
      const mark = emu.requests.length;
      keep(await stack.preview({ args: ['--expect-no-changes'] }));
      expect(writesSince(emu, mark)).toEqual([]);
    });

    it('an edit of each resource makes exactly its write', async () => {
      await stack.setAllConfig({
        team: 'ml',
        restoreStrategy: 'LATEST_SAVEPOINT',
        secretVersion: '2',
        taskManagers: '2',
        parallelism: '2',
        clicksLabel: 'shared-cluster',
        savepointTimeout: '90',
      });
      if (language !== 'dynamic') {
        // the native provider names each changed input in a plain preview
        const preview = keep(await stack.preview()).stdout;
        for (const line of [
          'DeploymentTarget jobs: ~ labels.team: "data" => "ml"',
          'SessionCluster shared: ~ numberOfTaskManagers: 1 => 2',
          'SecretValue db-password: ~ valueVersion: 1 => 2',
          'DeploymentDefaults defaults: ~ spec.restoreStrategy.kind: "LATEST_STATE" => "LATEST_SAVEPOINT"',
          'Savepoint orders-baseline: ~ waitFor.timeoutSeconds: 120 => 90',
        ])
          expect(preview).toContain(line);
      }
      const mark = emu.requests.length;
      keep(await stack.up());
      expect(writesSince(emu, mark).sort()).toEqual(
        [
          'PUT /deployment-targets/jobs',
          'PATCH /deployment-defaults',
          'PATCH /secret-values/db-password',
          'PATCH /sessionclusters/shared',
          'PATCH /deployments/orders',
          'PATCH /deployments/clicks',
          // the savepoint's edit (waitFor) is a setting: no write
        ].sort(),
      );
      expect((await api.findTarget('default', 'jobs'))?.metadata.labels).toEqual({ team: 'ml' });
      expect((await api.findSessionCluster('default', 'shared'))?.spec.numberOfTaskManagers).toBe(2);
      expect((await api.getDefaults('default')).spec).toMatchObject({ restoreStrategy: { kind: 'LATEST_SAVEPOINT' } });
      keep(await stack.preview({ args: ['--expect-no-changes'] }));
    });

    it('refresh finds no drift', async () => {
      keep(await stack.refresh());
      const mark = emu.requests.length;
      keep(await stack.preview({ args: ['--expect-no-changes'] }));
      expect(writesSince(emu, mark)).toEqual([]);
    });

    it('destroy goes in dependency order: deployments, then the cluster, the target last; savepoint and defaults stay', async () => {
      const mark = emu.requests.length;
      keep(await stack.destroy());
      const deletes = writesSince(emu, mark).filter((w) => w.startsWith('DELETE'));
      expect(deletes.sort()).toEqual(
        [
          'DELETE /deployments/orders',
          'DELETE /deployments/clicks',
          'DELETE /sessionclusters/shared',
          'DELETE /secret-values/db-password',
          'DELETE /deployment-targets/jobs',
        ].sort(),
      );
      const order = writesSince(emu, mark).filter((w) => w.startsWith('DELETE'));
      const pos = (w: string) => order.indexOf(w);
      expect(pos('DELETE /deployments/clicks')).toBeLessThan(pos('DELETE /sessionclusters/shared'));
      expect(pos('DELETE /sessionclusters/shared')).toBeLessThan(pos('DELETE /deployment-targets/jobs'));
      expect(pos('DELETE /deployments/orders')).toBeLessThan(pos('DELETE /deployment-targets/jobs'));
      expect(await api.listTargets('default')).toEqual([]);
      expect(await api.findSessionCluster('default', 'shared')).toBeUndefined();
      expect((await api.getDefaults('default')).spec).toMatchObject({ restoreStrategy: { kind: 'LATEST_SAVEPOINT' } });
      const client = createVvpClient({ baseUrl: emu.url, token: TOKEN });
      expect((await client.listSavepoints('default')).filter((s) => s.status?.state === 'COMPLETED')).not.toHaveLength(
        0,
      );
    });

    it('never shows the secret value or the token: not in the state, not in any output', async () => {
      const text = [...outputs, stack.rawState()].join('\n');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    });
  });
}
