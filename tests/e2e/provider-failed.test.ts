/**
 * A FAILED job under the real pulumi CLI (examples/pulumi-basic, ADR 0008): never reported as success. The update
 * that fails says so; preview and refresh then show it; `pulumi up` recovers once (CANCELLED, then RUNNING) and
 * fails with guidance while jobs still fail; once the cause is gone, `pulumi up` converges to RUNNING.
 */
import * as path from 'node:path';
import type { EmulatorHandle } from '../../emulator/src/index';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { ensureBuilt, startTestEmulator } from './provider-support';

const TOKEN = 'e2e-token-failed-4b3a2c1d';
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'pulumi-basic');
const SUBJECT = 'deployment default/orders';
const TYPE = 'pulumi-nodejs:dynamic/vvp:Deployment';

jest.setTimeout(5 * 60_000);

let emu: EmulatorHandle;
let p: Pulumi;
let stack: PulumiStack;

const vvp = () => emu.store.getDeployment('default', 'orders');
const text = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
/** The deployment resource's recorded outputs (stack outputs change only with a successful up). */
const recorded = async (): Promise<Record<string, unknown>> =>
  (await stack.exportState()).deployment.resources.find((r: { type: string }) => r.type === TYPE).outputs;

beforeAll(async () => {
  await ensureBuilt();
  emu = await startTestEmulator(TOKEN);
  p = await createPulumi();
  stack = await p.stack(EXAMPLE, 'failed');
  await stack.setAllConfig({
    'vvp:baseUrl': emu.url,
    'vvp:apiToken': { value: TOKEN, secret: true },
    state: 'RUNNING',
    timeoutSeconds: '60',
  });
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
  await emu?.stop();
});

describe('a FAILED deployment under the pulumi CLI', () => {
  it('up runs the job; with failing jobs an update fails naming FAILED', async () => {
    await stack.up();
    expect(vvp().status?.state).toBe('RUNNING');
    emu.faults.setBehaviour({ failJobs: 'orders' });
    await stack.setConfig('parallelism', '2');
    const up = await stack.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(text(up)).toContain(`${SUBJECT}: waiting for the upgraded job to be RUNNING, the deployment became FAILED`);
    expect(vvp().status?.state).toBe('FAILED');
  });

  it('preview --expect-no-changes fails and refresh shows FAILED, each with what up does', async () => {
    const warning = `${SUBJECT}: VVP reports the deployment FAILED while the program says RUNNING; the next \`pulumi up\` recovers it`;
    const preview = await stack.preview({ args: ['--expect-no-changes'], allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(text(preview)).toContain(warning);
    const refresh = await stack.refresh();
    expect(text(refresh)).toContain(warning);
    expect((await recorded()).actualState).toBe('FAILED');
  });

  it('up recovers once (CANCELLED, then RUNNING) and fails with guidance while jobs still fail', async () => {
    const up = await stack.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    const out = text(up);
    expect(out).toContain(`${SUBJECT}: recovery step 1/3: desired state CANCELLED`);
    expect(out).toContain(`${SUBJECT}: recovery step 2/3: desired state RUNNING (a new job attempt)`);
    expect(out).toContain(`${SUBJECT}: the recovery attempt (desired state CANCELLED, then RUNNING again`);
    expect(out).toContain('Fix the cause the VVP events name');
    expect(out).toMatch(/Job [-0-9a-f]+ failed to start/);
    expect((await recorded()).actualState).toBe('FAILED');
  });

  it('once the cause is gone, up recovers to RUNNING and the stack is clean', async () => {
    emu.faults.clear();
    const up = await stack.up();
    expect(text(up)).toMatch(new RegExp(`${SUBJECT}: recovered: job [-0-9a-f]+ is RUNNING`));
    const outputs = await stack.outputs();
    expect(outputs).toMatchObject({ actualState: 'RUNNING', jobId: vvp().status?.running?.jobId });
    expect(vvp().spec.template?.spec?.parallelism).toBe(2);
    await stack.preview({ args: ['--expect-no-changes'] });
  });
});
