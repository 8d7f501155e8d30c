/**
 * The plugin as users install it: `npm run pack:plugin` writes the tarball, `pulumi plugin install resource vvp
 * <version> -f <tarball>` puts it in the plugin cache, and a program without `plugins.providers` (and without the
 * repository's bin/ on PATH) uses it, here through an explicit `new vvp.Provider(...)` that carries the connection.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { EmulatorHandle } from '../../emulator/src/index';
import { run } from '../harness/proc';
import type { Pulumi } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { createNativePulumi, ensureNativeBuilt, stateResource } from './native-support';
import { startTestEmulator } from './provider-support';

const TOKEN = 'plugin-token-9a8b7c6d5e';
const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

jest.setTimeout(10 * 60_000);

let emu: EmulatorHandle;
let p: Pulumi;
let tarball: string;

beforeAll(async () => {
  await ensureNativeBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createNativePulumi();
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('the packed plugin', () => {
  it('pack:plugin writes pulumi-resource-vvp-v<version>-linux-amd64.tar.gz; pulumi plugin install takes it', async () => {
    const out = path.join(p.dir, 'pack');
    const packed = await run('bash', [path.join(REPO_ROOT, 'scripts', 'pack-plugin.sh'), '--out', out, '--no-build'], {
      cwd: REPO_ROOT,
      timeoutMs: 5 * 60_000,
    });
    tarball = packed.stdout.trim().split('\n').pop()!;
    expect(path.basename(tarball)).toBe(`pulumi-resource-vvp-v${VERSION}-linux-amd64.tar.gz`);
    expect(fs.statSync(tarball).size).toBeGreaterThan(1_000_000);
    await p.run(['plugin', 'install', 'resource', 'vvp', VERSION, '-f', tarball, '--non-interactive']);
    const plugins = JSON.parse((await p.run(['plugin', 'ls', '--json'])).stdout) as {
      name: string;
      kind: string;
      version: string;
    }[];
    expect(plugins).toContainEqual(expect.objectContaining({ name: 'vvp', kind: 'resource', version: VERSION }));
  });

  it('a program without plugins.providers runs on the installed plugin through an explicit provider', async () => {
    const stack = await p.stack(path.join(REPO_ROOT, 'examples', 'native-ts'), 'installed');
    const file = path.join(stack.programDir, 'Pulumi.yaml');
    const project = parseYaml(fs.readFileSync(file, 'utf8'));
    delete project.plugins;
    fs.writeFileSync(file, toYaml(project));
    // no vvp:baseUrl / vvp:apiToken: only the explicit provider knows the connection
    await stack.setConfig('explicitBaseUrl', emu.url);
    await stack.setConfig('explicitApiToken', TOKEN, { secret: true });
    await stack.setConfig('deploymentName', 'via-plugin');
    const up = await stack.up();
    expect(up.stdout + up.stderr).not.toMatch(/using pulumi-resource-vvp from \$PATH/);
    const d = emu.store.getDeployment('default', 'via-plugin');
    const resource = await stateResource(stack);
    expect(resource.id).toBe(d.metadata.id);
    expect(resource.provider).toMatch(/::pulumi:providers:vvp::explicit::/);
    expect(stack.rawState()).not.toContain(TOKEN);
    const preview = await stack.preview({ args: ['--expect-no-changes', '--diff'] });
    expect(preview.stdout).not.toContain(TOKEN);
    await stack.destroy();
    expect(() => emu.store.getDeployment('default', 'via-plugin')).toThrow(/does not exist/);
  });
});
