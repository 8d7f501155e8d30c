/**
 * examples/pulumi-put under the real pulumi CLI against the VVP emulator: PUT mode with every mandatory field,
 * the connection taken from VVP_URL / VVP_API_TOKEN (so the token never enters the state), and retain on destroy.
 */
import * as path from 'node:path';
import type { EmulatorHandle } from '../../emulator/src/index';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { ensureBuilt, isWrite, requestsSince, startTestEmulator } from './provider-support';

jest.setTimeout(5 * 60_000);

const TOKEN = 'e2e-put-token-0a1b2c3d4e';
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'pulumi-put');

let emu: EmulatorHandle;
let p: Pulumi;
let stack: PulumiStack;

const vvp = () => emu.store.getDeployment('default', 'payments');
const deploymentRequests = (mark: number) =>
  requestsSince(
    emu,
    mark,
    (r) => r.path.endsWith('/deployments/payments') || (r.method === 'POST' && r.path.endsWith('/deployments')),
  );

beforeAll(async () => {
  await ensureBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createPulumi({ env: { VVP_URL: emu.url, VVP_API_TOKEN: TOKEN } });
  stack = await p.stack(EXAMPLE, 'test');
  await stack.setConfig('maxJobCreationAttempts', '2');
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('examples/pulumi-put under the pulumi CLI', () => {
  it('pulumi up creates the deployment with one PUT, using VVP_URL and VVP_API_TOKEN', async () => {
    const mark = emu.requests.length;
    await stack.up();
    expect(deploymentRequests(mark).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'PUT 201']);
    expect(vvp().spec.maxJobCreationAttempts).toBe(2);
    expect((await stack.outputs()).actualState).toBe('CANCELLED');
  });

  it('keeps the token out of the state entirely when it comes from the environment', async () => {
    expect(stack.rawState()).not.toContain(TOKEN);
    const state = await stack.exportState();
    const resource = state.deployment.resources.find(
      (r: { type: string }) => r.type === 'pulumi-nodejs:dynamic/vvp:Deployment',
    );
    expect(resource.inputs.apiToken).toBeUndefined();
    expect(resource.outputs.apiToken).toBeUndefined();
  });

  it('a PUT resets a field the program omits, and keeps VVP system annotations and the description', async () => {
    emu.store.patchDeployment('default', 'payments', {
      metadata: {
        description: 'owned by the payments team',
        annotations: { 'com.dataartisans.appmanager.controller.custom': 'kept' },
      },
    });
    await stack.refresh(); // the description and a system annotation are not drift in PUT mode
    await stack.preview({ args: ['--expect-no-changes'] });
    await stack.run(['config', 'rm', 'maxJobCreationAttempts', '--stack', 'test']);
    await stack.setConfig('parallelism', '3');
    const mark = emu.requests.length;
    await stack.up();
    expect(deploymentRequests(mark).map((r) => r.method)).toEqual(['GET', 'PUT']);
    const d = vvp();
    expect(d.spec.maxJobCreationAttempts).toBe(4); // VVP's default again
    expect(d.spec.template?.spec?.parallelism).toBe(3);
    expect(d.metadata.description).toBe('owned by the payments team');
    expect(d.metadata.annotations?.['com.dataartisans.appmanager.controller.custom']).toBe('kept');
    expect(d.metadata.annotations?.['ververica.platform/urn']).toMatch(
      /::pulumi-nodejs:dynamic\/vvp:Deployment::payments$/,
    );
  });

  it('pulumi refresh in PUT mode detects an out-of-band change of a field the program does not name', async () => {
    emu.store.patchDeployment('default', 'payments', {
      spec: { template: { spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '4' } } } },
    });
    const refresh = await stack.refresh();
    expect(refresh.stdout + refresh.stderr).toMatch(
      /changed outside Pulumi at spec\.template\.spec\.flinkConfiguration\["taskmanager\.numberOfTaskSlots"\];/,
    );
    const mark = emu.requests.length;
    await stack.up();
    expect(
      deploymentRequests(mark)
        .filter(isWrite)
        .map((r) => r.method),
    ).toEqual(['PUT']);
    expect(vvp().spec.template?.spec?.flinkConfiguration).toEqual({ 'execution.checkpointing.interval': '10s' });
    await stack.preview({ args: ['--expect-no-changes'] });
  });

  it('a second pulumi up makes zero VVP writes', async () => {
    const mark = emu.requests.length;
    await stack.up();
    expect(requestsSince(emu, mark, isWrite)).toEqual([]);
  });

  it('pulumi destroy with deletionPolicy retain forgets the deployment and leaves it in VVP', async () => {
    await stack.setConfig('deletionPolicy', 'retain');
    await stack.setConfig('state', 'RUNNING');
    await stack.up();
    const id = (await stack.outputs()).deploymentId;
    await stack.destroy();
    expect(vvp().metadata.id).toBe(id);
    expect(vvp().status?.state).toBe('RUNNING');
    expect(await stack.outputs()).toEqual({});
  });
});
