/**
 * The provider's core lifecycle under the real pulumi CLI in each emulated VVP version (tests/e2e/profiles.ts):
 * create CANCELLED → RUNNING → a config edit → a savepoint nonce → a clean preview → destroy, with the seed's
 * definition as that version takes it. One pulumi home for the file, one emulator and stack per profile.
 */
import * as path from 'node:path';
import type { EmulatorHandle } from '../../emulator/src/index';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { REPO_ROOT } from '../harness/tools';
import { seedInitFields } from '../fixtures/seed';
import { expectedStoredFields, LIFECYCLE_PROFILES, storedFields, type Definition } from './profiles';
import { ensureBuilt, isWrite, requestsSince, startTestEmulator } from './provider-support';

const TOKEN = 'e2e-token-profiles-1a2b3c';
const PROGRAM = path.join(REPO_ROOT, 'tests', 'fixtures', 'pulumi-profile');
const NAME = 'seed';
const CHECKPOINTING = { 'execution.checkpointing.interval': '10s' };

jest.setTimeout(5 * 60_000);

let p: Pulumi;

beforeAll(async () => {
  await ensureBuilt();
  p = await createPulumi();
}, 10 * 60_000);

afterAll(async () => {
  await p?.cleanup();
});

describe.each(LIFECYCLE_PROFILES)('the provider lifecycle in profile $name', (row) => {
  let emu: EmulatorHandle;
  let stack: PulumiStack;

  const vvp = () => emu.store.getDeployment('default', NAME);
  const deploymentWrites = (mark: number) =>
    requestsSince(emu, mark, (r) => isWrite(r) && r.path.includes('/deployments'));
  const setDefinition = (def: Definition) => stack.setConfig('deployment', JSON.stringify(def));

  beforeAll(async () => {
    emu = await startTestEmulator(TOKEN, row.emulator);
    stack = await p.stack(PROGRAM, row.name);
    await stack.setConfig('vvp:baseUrl', emu.url);
    await stack.setConfig('vvp:apiToken', TOKEN, { secret: true });
    await stack.setConfig('initFields', JSON.stringify(seedInitFields()));
    await setDefinition(row.definition(NAME));
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('pulumi up creates the deployment CANCELLED, stored as the platform keeps it', async () => {
    const mark = emu.requests.length;
    await stack.up();
    const d = vvp();
    expect(await stack.outputs()).toMatchObject({ deploymentId: d.metadata.id, actualState: 'CANCELLED' });
    expect(storedFields(row, d)).toEqual(expectedStoredFields(row));
    expect(d.spec.template?.spec?.resources?.taskmanager).toEqual({ cpu: 2, memory: '4g' });
    // lookup, create, event (VVP 2.4 has no events endpoint: 405, and the create still succeeds)
    expect(requestsSince(emu, mark).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 404',
      'POST 201',
      `POST ${row.eventsStatus}`,
    ]);
  });

  it('state RUNNING waits until the job runs', async () => {
    await setDefinition(row.definition(NAME, 'default', 'RUNNING'));
    await stack.up();
    expect(await stack.outputs()).toMatchObject({
      actualState: 'RUNNING',
      lastChange: 'state',
      jobId: vvp().status?.running?.jobId,
    });
  });

  it('a config edit makes exactly one PATCH and the stored fields stay as the platform keeps them', async () => {
    const edited = row.definition(NAME, 'default', 'RUNNING');
    edited.spec.template.spec.flinkConfiguration = CHECKPOINTING;
    await setDefinition(edited);
    const mark = emu.requests.length;
    await stack.up();
    expect(deploymentWrites(mark).map((r) => r.method)).toEqual(['PATCH']);
    expect(vvp().spec.template?.spec?.flinkConfiguration).toMatchObject(CHECKPOINTING);
    expect(storedFields(row, vvp())).toEqual(expectedStoredFields(row));
    expect(await stack.outputs()).toMatchObject({ lastChange: 'config', actualState: 'RUNNING' });
  });

  it('a savepointNonce bump triggers one savepoint and reports it COMPLETED', async () => {
    const mark = emu.requests.length;
    await stack.setConfig('savepointNonce', '1');
    await stack.setConfig('waitForSavepoint', 'true');
    await stack.up();
    const posts = requestsSince(emu, mark, (r) => r.method === 'POST' && r.path.endsWith('/savepoints'));
    expect(posts).toHaveLength(1);
    const out = await stack.outputs();
    const sp = emu.store.getSavepoint('default', out.lastSavepoint.savepointId);
    expect(out.lastSavepoint).toMatchObject({ nonce: 1, state: 'COMPLETED', location: sp.spec.savepointLocation });
    expect(sp.metadata.deploymentId).toBe(out.deploymentId);
    expect(deploymentWrites(mark)).toEqual([]);
  });

  it('pulumi preview --expect-no-changes passes and writes nothing', async () => {
    const mark = emu.requests.length;
    await stack.preview({ args: ['--expect-no-changes'] });
    expect(requestsSince(emu, mark, isWrite)).toEqual([]);
  });

  it('pulumi destroy (deletionPolicy cancel) deletes the RUNNING deployment from VVP', async () => {
    expect(vvp().status?.state).toBe('RUNNING');
    await stack.destroy();
    expect(() => vvp()).toThrow(/does not exist/);
  });
});
