/**
 * A strict VVP (emulator profile vvp-2.4: unknown fields dropped, no POST /events) under the real pulumi CLI
 * (ADR 0011): a field VVP does not keep is said once and causes no further write; a missing session cluster fails
 * with the clear error.
 */
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { ensureBuilt, isWrite, requestsSince } from './provider-support';

jest.setTimeout(5 * 60_000);

const TOKEN = 'e2e-strict-token-5f6e7d8c';
const PROGRAM = path.join(REPO_ROOT, 'tests', 'fixtures', 'pulumi-strict');
const NOT_KEPT = 'VVP did not keep field spec.template.spec.paralellism: check its spelling and the VVP version';

let emu: EmulatorHandle;
let p: Pulumi;

const count = (text: string, part: string) => text.split(part).length - 1;
const output = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ profile: 'vvp-2.4', defaultTarget: 'default', transitionDelayMs: 20, token: TOKEN });
  p = await createPulumi({ env: { VVP_URL: emu.url, VVP_API_TOKEN: TOKEN } });
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('a field VVP does not keep (vvp-2.4)', () => {
  let stack: PulumiStack;

  it('pulumi up warns once, names the field, and notes the missing events endpoint once', async () => {
    stack = await p.stack(PROGRAM, 'typo');
    await stack.setConfig('typo', 'true');
    const up = output(await stack.up());
    // the CLI shows each message while it runs and once more in its Diagnostics summary: count the summary
    const diagnostics = up.slice(up.indexOf('Diagnostics:'));
    expect(count(diagnostics, NOT_KEPT)).toBe(1);
    expect(count(diagnostics, 'has no events endpoint')).toBe(1);
    expect(emu.store.getDeployment('default', 'strict').spec.template?.spec).not.toHaveProperty('paralellism');
  });

  it('three more pulumi up (one with --refresh) write nothing and say nothing again', async () => {
    const mark = emu.requests.length;
    for (const args of [['--refresh'], [], []]) {
      const up = output(await stack.up({ args }));
      expect(count(up, 'did not keep')).toBe(0);
    }
    expect(requestsSince(emu, mark, isWrite).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    await stack.preview({ args: ['--expect-no-changes'] });
  });

  it('pulumi destroy removes it', async () => {
    await stack.destroy();
    expect(() => emu.store.getDeployment('default', 'strict')).toThrow();
  });
});

describe('a missing session cluster', () => {
  it('pulumi up fails naming the session cluster and how to create it', async () => {
    const stack = await p.stack(PROGRAM, 'session');
    await stack.setAllConfig({ deploymentName: 'strict-session', sessionClusterName: 'missing' });
    const r = await stack.up({ allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(output(r)).toContain(
      'session cluster missing does not exist in VVP namespace default: create it (VVP UI → Session Clusters, or the REST API POST /api/v1/namespaces/default/sessionclusters, and start it) or fix spec.sessionClusterName',
    );
  });
});
