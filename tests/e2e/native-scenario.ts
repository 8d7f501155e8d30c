/**
 * The lifecycle every examples/native-* program goes through under the real pulumi CLI against the emulator, one
 * program per language: create, no-op, a one-field edit (shown as exactly that path by a plain `pulumi preview`),
 * a savepoint nonce, refresh of out-of-band drift, `pulumi import` and the `import` option, destroy per
 * deletionPolicy, and the token never in the state or any command output. The programs read the same stack config
 * keys: deploymentName, state, parallelism, savepointNonce, deletionPolicy, importId.
 */
import type { EmulatorHandle } from '../../emulator/src/index';
import type { Pulumi, PulumiStack } from '../harness/pulumi';
import type { RunResult } from '../harness/proc';
import { isWrite, requestsSince, startTestEmulator } from './provider-support';
import { NATIVE_TYPE, createNativePulumi, ensureNativeBuilt, nativeStack, stateResource } from './native-support';

/** What a language's program and host can do. */
export interface ScenarioOptions {
  /** The host implements GenerateProgram (YAML); else `pulumi import --generate-code=false`. */
  generatesCode: boolean;
  /** Extra setup of every stack (e.g. the Python virtualenv). */
  prepare?: (stack: PulumiStack) => Promise<void>;
  /** Makes the program adopt `id` with the `import` option. @default stack config `importId` */
  setImport?: (stack: PulumiStack, id: string) => Promise<void>;
  /** Extra environment of every pulumi command (computed once, before the first stack). */
  env?: () => Promise<NodeJS.ProcessEnv>;
}

const TOKEN = 'native-e2e-token-7c6b5a4d3e';
const PARALLELISM = 'deployment.spec.template.spec.parallelism';

/** The definition the programs declare with their defaults (so an import of it needs no update). */
export function programDefinition(name: string): Record<string, unknown> {
  return {
    metadata: { name, namespace: 'default', labels: { team: 'data' } },
    spec: {
      state: 'CANCELLED',
      deploymentTargetName: 'default',
      template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://artifacts/orders-job.jar' }, parallelism: 1 } },
    },
  };
}

/**
 * The changed paths the provider's diff message names in a plain preview (`deployment default/orders: ~
 * deployment.spec.template.spec.parallelism: 1 => 3`), each once (the CLI shows the message in the progress row and
 * again under Diagnostics).
 */
export const changedPaths = (out: string): string[] => [
  ...new Set(
    [...out.matchAll(/deployment [a-z0-9-]+\/[a-z0-9-]+: ((?:[~+-]{1,2} [^;\n]+(?:; |$))+)$/gm)].flatMap((m) =>
      m[1]!.split('; ').map((line) => line.replace(/: .*$/, '')),
    ),
  ),
];

export function describeNativeExample(example: string, options: ScenarioOptions): void {
  jest.setTimeout(10 * 60_000);
  let emu: EmulatorHandle;
  let p: Pulumi;
  let stack: PulumiStack;
  const outputs: string[] = [];
  const keep = (r: RunResult) => (outputs.push(r.stdout, r.stderr), r);
  const vvp = (name = 'orders') => emu.store.getDeployment('default', name);
  const writes = (mark: number) => requestsSince(emu, mark, isWrite);
  const newStack = async (name: string) => {
    const s = await nativeStack(p, example, emu, TOKEN, name);
    await options.prepare?.(s);
    return s;
  };

  beforeAll(async () => {
    await ensureNativeBuilt();
    emu = await startTestEmulator(TOKEN);
    p = await createNativePulumi(options.env ? await options.env() : {});
    stack = await newStack('test');
  }, 15 * 60_000);

  afterAll(async () => {
    await p?.cleanup();
    await emu?.stop();
  });

  describe(`examples/${example} with the native provider`, () => {
    it('pulumi up creates vvp:index:Deployment, stamped with the URN the engine sent', async () => {
      keep(await stack.up());
      const d = vvp();
      const resource = await stateResource(stack);
      expect(resource.type).toBe(NATIVE_TYPE);
      expect(resource.id).toBe(d.metadata.id);
      expect(d.metadata.annotations?.['ververica.platform/urn']).toBe(resource.urn);
      expect((await stack.outputs()).deploymentId).toBe(d.metadata.id);
      expect(d.status?.state).toBe('CANCELLED');
    });

    it('a no-op preview shows no changes and makes zero VVP writes', async () => {
      const mark = emu.requests.length;
      keep(await stack.preview({ args: ['--expect-no-changes'] }));
      expect(writes(mark)).toEqual([]);
    });

    it('a one-field edit shows exactly that path in a plain pulumi preview, and up PATCHes once', async () => {
      await stack.setConfig('parallelism', '3');
      const preview = keep(await stack.preview());
      expect(changedPaths(preview.stdout)).toEqual([`~ ${PARALLELISM}`]);
      expect(preview.stdout).toContain(`~ ${PARALLELISM}: 1 => 3`);
      expect(preview.stdout).toMatch(/\[diff: ~deployment\]/);
      const detailed = keep(await stack.preview({ args: ['--diff'] }));
      expect(detailed.stdout).toMatch(/~ parallelism\s*: 1 => 3/);
      expect(detailed.stdout).not.toMatch(/jarUri/);
      const mark = emu.requests.length;
      keep(await stack.up());
      expect(
        writes(mark)
          .filter((r) => r.path.includes('/deployments'))
          .map((r) => r.method),
      ).toEqual(['PATCH']);
      expect(vvp().spec.template?.spec?.parallelism).toBe(3);
    });

    it('a savepoint nonce while RUNNING makes one savepoint that COMPLETES', async () => {
      await stack.setConfig('state', 'RUNNING');
      keep(await stack.up());
      expect(vvp().status?.state).toBe('RUNNING');
      const mark = emu.requests.length;
      await stack.setConfig('savepointNonce', '1');
      keep(await stack.up());
      const posts = requestsSince(emu, mark, (r) => r.method === 'POST' && r.path.endsWith('/savepoints'));
      expect(posts).toHaveLength(1);
      const savepoints = emu.store.listSavepoints('default', { deploymentId: vvp().metadata.id });
      expect(savepoints.map((s) => s.status?.state)).toEqual(['COMPLETED']);
      expect((await stack.outputs()).lastSavepoint).toMatchObject({ nonce: 1, state: 'COMPLETED' });
    });

    it('pulumi refresh shows out-of-band drift; the next preview names it and up restores it', async () => {
      emu.store.patchDeployment('default', 'orders', { spec: { template: { spec: { parallelism: 7 } } } });
      const refresh = keep(await stack.refresh());
      expect(refresh.stdout + refresh.stderr).toMatch(/changed outside Pulumi at spec\.template\.spec\.parallelism/);
      const preview = keep(await stack.preview());
      expect(changedPaths(preview.stdout)).toEqual([`~ ${PARALLELISM}`]);
      expect(preview.stdout).toContain(`~ ${PARALLELISM}: 7 => 3`);
      keep(await stack.up());
      expect(vvp().spec.template?.spec?.parallelism).toBe(3);
      keep(await stack.preview({ args: ['--expect-no-changes'] }));
    });

    it('pulumi import vvp:index:Deployment <name> default/<name> imports without writing to VVP', async () => {
      const existing = emu.store.createDeployment('default', programDefinition('legacy'));
      const mark = emu.requests.length;
      const args = ['import', NATIVE_TYPE, 'legacy', 'default/legacy', '--yes', '--stack', stack.name];
      if (!options.generatesCode) args.push('--generate-code=false');
      const imported = keep(await stack.run([...args, '--non-interactive', '--color=never']));
      expect(imported.stdout).toMatch(/1 imported/);
      const resource = await stateResource(stack, 'legacy');
      expect(resource).toMatchObject({ id: existing.metadata.id, protect: true });
      expect(resource.inputs.deployment.metadata).toMatchObject({ name: 'legacy', namespace: 'default' });
      expect(writes(mark)).toEqual([]);
      keep(await stack.run(['state', 'delete', resource.urn, '--force', '--yes', '--stack', stack.name]));
      expect(vvp('legacy').metadata.id).toBe(existing.metadata.id);
    });

    it('the import resource option adopts the deployment; destroy with deletionPolicy retain keeps it', async () => {
      const adopted = await newStack('adopted');
      await adopted.setConfig('deploymentName', 'legacy');
      if (options.setImport) await options.setImport(adopted, 'default/legacy');
      else await adopted.setConfig('importId', 'default/legacy');
      await adopted.setConfig('deletionPolicy', 'retain');
      const id = vvp('legacy').metadata.id;
      const mark = emu.requests.length;
      const up = keep(await adopted.up());
      expect(up.stdout).toMatch(/1 imported/);
      expect((await stateResource(adopted)).id).toBe(id);
      expect(requestsSince(emu, mark, (r) => r.method === 'POST' && r.path.endsWith('/deployments'))).toEqual([]);
      keep(await adopted.destroy());
      expect(vvp('legacy').metadata.id).toBe(id);
    });

    it('keeps the API token out of the state and out of every command output', () => {
      const raw = stack.rawState();
      expect(raw).not.toContain(TOKEN);
      for (const out of outputs) expect(out).not.toContain(TOKEN);
    });

    it('pulumi destroy with deletionPolicy cancel cancels the running job and deletes the deployment', async () => {
      expect(vvp().status?.state).toBe('RUNNING');
      keep(await stack.destroy());
      expect(() => vvp()).toThrow(/does not exist/);
    });
  });
}
