/**
 * Moving a stack from the dynamic provider (vvp-iac/pulumi) to the native one without recreating the VVP
 * deployment: `pulumi state delete` of the dynamic resource, then the native resource with the `import` option.
 */
import * as path from 'node:path';
import type { EmulatorHandle } from '../../emulator/src/index';
import type { Pulumi, PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { NATIVE_TYPE, createNativePulumi, ensureNativeBuilt, stateResource, usePluginDir } from './native-support';
import { requestsSince, startTestEmulator } from './provider-support';

const TOKEN = 'migration-token-5e4d3c2b1a';
const DYNAMIC_TYPE = 'pulumi-nodejs:dynamic/vvp:Deployment';

jest.setTimeout(10 * 60_000);

let emu: EmulatorHandle;
let p: Pulumi;
let stack: PulumiStack;

beforeAll(async () => {
  await ensureNativeBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createNativePulumi();
  stack = await p.stack(path.join(REPO_ROOT, 'tests', 'fixtures', 'native-migration'), 'test');
  usePluginDir(stack);
  await stack.setConfig('vvp:baseUrl', emu.url);
  await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('migration from the dynamic to the native provider', () => {
  it('keeps the VVP deployment: state delete of the dynamic resource, then the import option', async () => {
    await stack.up();
    const before = emu.store.getDeployment('default', 'orders-mig');
    const state = await stack.exportState();
    const dynamic = state.deployment.resources.find((r: { type: string }) => r.type === DYNAMIC_TYPE);
    expect(dynamic.id).toBe(before.metadata.id);

    const mark = emu.requests.length;
    await stack.run(['state', 'delete', dynamic.urn, '--yes', '--stack', stack.name, '--non-interactive']);
    await stack.setConfig('provider', 'native');
    await stack.setConfig('importId', 'default/orders-mig');
    const up = await stack.up();
    expect(up.stdout).toMatch(/1 imported/);
    const native = await stateResource(stack);
    expect(native.type).toBe(NATIVE_TYPE);
    expect(native.id).toBe(before.metadata.id);
    const lifecycle = requestsSince(
      emu,
      mark,
      (r) => r.path.includes('/deployments') && ['POST', 'DELETE'].includes(r.method),
    );
    expect(lifecycle).toEqual([]);
    expect(emu.store.getDeployment('default', 'orders-mig').metadata.id).toBe(before.metadata.id);

    // the import option stays in the program until it is removed; either way nothing changes any more
    await stack.preview({ args: ['--expect-no-changes'] });
    await stack.setConfig('importId', '');
    await stack.preview({ args: ['--expect-no-changes'] });
    expect(stack.rawState()).not.toContain(TOKEN);
  });
});
