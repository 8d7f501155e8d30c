/**
 * Moving a stack from the dynamic provider (vvp-iac/pulumi) to the native one without recreating the VVP
 * deployment, both ways: an alias of the old type (the engine carries the state over), or `pulumi state delete`
 * of the dynamic resource followed by the native resource with the `import` option.
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

async function dynamicStack(name: string): Promise<PulumiStack> {
  const stack = await p.stack(path.join(REPO_ROOT, 'tests', 'fixtures', 'native-migration'), name);
  usePluginDir(stack);
  await stack.setConfig('vvp:baseUrl', emu.url);
  await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
  await stack.up();
  return stack;
}

const isLifecycle = (r: { method: string; path: string }) =>
  r.path.includes('/deployments') && ['POST', 'DELETE'].includes(r.method);

beforeAll(async () => {
  await ensureNativeBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createNativePulumi();
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('migration from the dynamic to the native provider', () => {
  it('an alias of the dynamic type carries the state over: one update of settings, no VVP write', async () => {
    const stack = await dynamicStack('alias');
    const before = emu.store.getDeployment('default', 'orders-mig');
    const mark = emu.requests.length;
    await stack.setConfig('provider', 'native');
    await stack.setConfig('alias', 'true');
    const up = await stack.up();
    expect(up.stdout).toMatch(/1 updated/);
    const native = await stateResource(stack);
    expect(native.type).toBe(NATIVE_TYPE);
    expect(native.id).toBe(before.metadata.id);
    expect(native.outputs.resourceUrn).toBeUndefined();
    expect(requestsSince(emu, mark, (r) => r.method !== 'GET')).toEqual([]);
    await stack.preview({ args: ['--expect-no-changes'] });
    expect(stack.rawState()).not.toContain(TOKEN);
    await stack.destroy();
    expect(() => emu.store.getDeployment('default', 'orders-mig')).toThrow(/does not exist/);
  });

  it('keeps the VVP deployment: state delete of the dynamic resource, then the import option', async () => {
    const stack = await dynamicStack('import');
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
    expect(requestsSince(emu, mark, isLifecycle)).toEqual([]);
    expect(emu.store.getDeployment('default', 'orders-mig').metadata.id).toBe(before.metadata.id);

    // the import option stays in the program until it is removed; either way nothing changes any more
    await stack.preview({ args: ['--expect-no-changes'] });
    await stack.setConfig('importId', '');
    await stack.preview({ args: ['--expect-no-changes'] });
    expect(stack.rawState()).not.toContain(TOKEN);
  });
});
