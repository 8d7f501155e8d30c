/**
 * examples/pulumi-basic under the real pulumi CLI against the VVP emulator: the whole lifecycle of one PATCH-mode
 * deployment, step by step through stack config, counting the VVP requests each step makes.
 */
import * as path from 'node:path';
import type { EmulatorHandle } from '../../emulator/src/index';
import { startDaemon, killGroup, waitFor } from '../harness/proc';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT, toolPath } from '../harness/tools';
import { ensureBuilt, isWrite, requestsSince, startTestEmulator } from './provider-support';

const TOKEN = 'e2e-token-9f8e7d6c5b4a';
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'pulumi-basic');
const TYPE = 'pulumi-nodejs:dynamic/vvp:Deployment';

jest.setTimeout(5 * 60_000);

let emu: EmulatorHandle;
let p: Pulumi;
let stack: PulumiStack;

const vvp = (name = 'orders') => emu.store.getDeployment('default', name);
const deploymentWrites = (mark: number) =>
  requestsSince(emu, mark, (r) => isWrite(r) && r.path.includes('/deployments'));

beforeAll(async () => {
  await ensureBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createPulumi();
  stack = await p.stack(EXAMPLE, 'test');
  await stack.setConfig('vvp:baseUrl', emu.url);
  await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('examples/pulumi-basic under the pulumi CLI', () => {
  it('pulumi up creates the deployment CANCELLED, stamped with the resource URN, with initFields applied', async () => {
    const mark = emu.requests.length;
    await stack.up();
    const out = await stack.outputs();
    const d = vvp();
    expect(out).toMatchObject({
      deploymentId: d.metadata.id,
      actualState: 'CANCELLED',
      lastChange: 'none',
      blockedNonces: [],
    });
    expect(d.spec.template?.spec?.resources?.taskmanager).toEqual({ cpu: 2, memory: '4g' });
    const state = await stack.exportState();
    const resource = state.deployment.resources.find((r: { type: string }) => r.type === TYPE);
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe('pulumi');
    expect(d.metadata.annotations?.['ververica.platform/urn']).toBe(resource.urn);
    expect(requestsSince(emu, mark).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 201', 'POST 201']); // lookup, create, event
  });

  it('a second pulumi up shows no changes and makes zero VVP writes', async () => {
    const mark = emu.requests.length;
    await stack.preview({ args: ['--expect-no-changes'] });
    const up = await stack.up();
    expect(up.stdout).toMatch(/2 unchanged/);
    expect(requestsSince(emu, mark, isWrite)).toEqual([]);
  });

  it('a savepointNonce bump while CANCELLED is blocked: a warning, consumed, recorded in the outputs', async () => {
    const mark = emu.requests.length;
    await stack.setConfig('savepointNonce', '1');
    const up = await stack.up();
    expect(up.stdout + up.stderr).toMatch(
      /SavepointBlocked: savepoint nonce 1 needs spec and actual state RUNNING \(spec CANCELLED, actual CANCELLED\)/,
    );
    expect(requestsSince(emu, mark, (r) => r.path.endsWith('/savepoints'))).toEqual([]);
    expect((await stack.outputs()).blockedNonces).toEqual([expect.objectContaining({ kind: 'savepoint', value: 1 })]);
    await stack.preview({ args: ['--expect-no-changes'] });
  });

  it('a config edit makes exactly one PATCH', async () => {
    const mark = emu.requests.length;
    await stack.setConfig('parallelism', '2');
    await stack.up();
    expect(deploymentWrites(mark).map((r) => r.method)).toEqual(['PATCH']);
    expect(vvp().spec.template?.spec?.parallelism).toBe(2);
    expect((await stack.outputs()).lastChange).toBe('config');
  });

  it('state RUNNING waits until the job runs', async () => {
    await stack.setConfig('state', 'RUNNING');
    const up = await stack.up();
    const out = await stack.outputs();
    expect(out).toMatchObject({ actualState: 'RUNNING', lastChange: 'state', jobId: vvp().status?.running?.jobId });
    expect(up.stdout).toMatch(/actual state CANCELLED → (TRANSITIONING|RUNNING)/);
  });

  it('a savepointNonce bump triggers one savepoint and reports its id once COMPLETED', async () => {
    const mark = emu.requests.length;
    await stack.setConfig('savepointNonce', '2');
    await stack.setConfig('waitForSavepoint', 'true');
    await stack.up();
    const posts = requestsSince(emu, mark, (r) => r.method === 'POST' && r.path.endsWith('/savepoints'));
    expect(posts).toHaveLength(1);
    const out = await stack.outputs();
    const sp = emu.store.getSavepoint('default', out.lastSavepoint.savepointId);
    expect(out.lastSavepoint).toMatchObject({ nonce: 2, state: 'COMPLETED', location: sp.spec.savepointLocation });
    expect(sp.metadata.deploymentId).toBe(out.deploymentId);
    expect(deploymentWrites(mark)).toEqual([]);
  });

  it('a restartNonce bump restarts the job once', async () => {
    const before = (await stack.outputs()).jobId;
    const mark = emu.requests.length;
    await stack.setConfig('restartNonce', '1');
    await stack.up();
    const out = await stack.outputs();
    expect(deploymentWrites(mark).map((r) => r.method)).toEqual(['PATCH']);
    expect(out).toMatchObject({ lastChange: 'restart', actualState: 'RUNNING' });
    expect(out.jobId).not.toBe(before);
    expect(out.jobId).toBe(vvp().status?.running?.jobId);
  });

  it('pulumi refresh detects an out-of-band change of a managed field and the next up restores it', async () => {
    emu.store.patchDeployment('default', 'orders', { spec: { template: { spec: { parallelism: 7 } } } });
    const refresh = await stack.refresh();
    expect(refresh.stdout + refresh.stderr).toMatch(/changed outside Pulumi at spec\.template\.spec\.parallelism/);
    const preview = await stack.preview({ args: ['--expect-no-changes'], allowFailure: true });
    expect(preview.code).not.toBe(0);
    const mark = emu.requests.length;
    await stack.up();
    expect(deploymentWrites(mark).map((r) => r.method)).toEqual(['PATCH']);
    expect(vvp().spec.template?.spec?.parallelism).toBe(2);
    await stack.preview({ args: ['--expect-no-changes'] });
  });

  it('pulumi destroy with deletionPolicy requireInactive refuses a RUNNING deployment with guidance', async () => {
    await stack.setConfig('deletionPolicy', 'requireInactive');
    const mark = emu.requests.length;
    await stack.up();
    expect(requestsSince(emu, mark, isWrite)).toEqual([]); // a settings-only update writes nothing
    const destroy = await stack.destroy({ allowFailure: true });
    expect(destroy.code).not.toBe(0);
    const output = destroy.stdout + destroy.stderr;
    expect(output).toMatch(
      /the deployment is RUNNING; deletionPolicy requireInactive deletes only inactive deployments/,
    );
    // an expected failure is reported as the engine's error alone: no stack trace, no second stderr copy
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('DeletionRefusedError');
    const diagnostics = output.slice(output.indexOf('Diagnostics:'));
    expect(diagnostics.split('deletionPolicy requireInactive deletes only inactive').length - 1).toBe(1);
    expect(vvp().status?.state).toBe('RUNNING');
  });

  it('state SUSPENDED waits for the savepoint-and-stop', async () => {
    await stack.setConfig('state', 'SUSPENDED');
    await stack.up();
    expect((await stack.outputs()).actualState).toBe('SUSPENDED');
  });

  it('keeps the API token out of the state file in plain text', () => {
    const raw = stack.rawState();
    expect(raw).toContain('"apiToken":{"4dabf18193072939515e22adb298388d"'); // stored, as a Pulumi secret
    expect(raw).not.toContain(TOKEN);
  });

  it('pulumi destroy with deletionPolicy cancel deletes the deployment from VVP', async () => {
    await stack.setConfig('state', 'RUNNING');
    await stack.setConfig('deletionPolicy', 'cancel');
    await stack.up();
    expect(vvp().status?.state).toBe('RUNNING');
    await stack.destroy();
    expect(() => vvp()).toThrow(/does not exist/);
  });

  it('an interrupted pulumi up (CLI killed mid-create) leaves exactly one deployment after the rerun', async () => {
    const s2 = await p.stack(EXAMPLE, 'interrupted');
    await s2.setConfig('vvp:baseUrl', emu.url);
    await s2.setConfig('vvp:apiToken', TOKEN, { secret: true });
    await s2.setConfig('deploymentName', 'orders-interrupted');
    // the create succeeds in VVP, then the provider hangs on its event POST and the CLI is killed
    emu.faults.addRoute({ method: 'POST', path: '/events$', latencyMs: 10_000, times: 1 });
    const mark = emu.requests.length;
    const daemon = startDaemon(
      'pulumi-up',
      toolPath('pulumi'),
      ['up', '--yes', '--skip-preview', '--stack', 'interrupted', '--non-interactive', '--color=never'],
      {
        cwd: s2.programDir,
        env: p.env,
        logFile: path.join(p.dir, 'interrupted-up.log'),
      },
    );
    await waitFor(
      'the create POST',
      async () =>
        requestsSince(emu, mark).some(
          (r) => r.method === 'POST' && r.path.endsWith('/deployments') && r.status === 201,
        ),
      { timeoutMs: 120_000 },
    );
    killGroup(daemon.pid, 'SIGKILL');
    await daemon.exited;
    // the killed CLI's create reached VVP once
    expect(emu.store.listDeployments('default').filter((d) => d.metadata.name === 'orders-interrupted')).toHaveLength(
      1,
    );
    // the killed CLI leaves its lock behind, as it would for a user
    await s2.run(['cancel', '--yes', '--stack', 'interrupted', '--non-interactive']);
    const rerun = await s2.up({ allowFailure: true });
    expect(rerun.code === 0 ? 'exit 0' : rerun.stdout + rerun.stderr).toBe('exit 0');
    expect(rerun.stdout).toMatch(/deployment default\/orders-interrupted: adopted deployment/);
    expect(emu.store.listDeployments('default').filter((d) => d.metadata.name === 'orders-interrupted')).toHaveLength(
      1,
    );
    expect((await s2.outputs()).deploymentId).toBe(vvp('orders-interrupted').metadata.id);
    await s2.destroy();
  });

  it('a stack without any config takes the connection from VVP_URL and VVP_API_TOKEN and keeps the token out of the state', async () => {
    const envOnly = await createPulumi({ env: { VVP_URL: emu.url, VVP_API_TOKEN: TOKEN } });
    try {
      const s3 = await envOnly.stack(EXAMPLE, 'env-only');
      await s3.up();
      expect((await s3.outputs()).deploymentId).toBe(vvp().metadata.id);
      expect(await s3.rawState()).not.toContain(TOKEN);
      await s3.destroy();
      expect(() => vvp()).toThrow(/does not exist/);
    } finally {
      await envOnly.cleanup();
    }
  });
});
