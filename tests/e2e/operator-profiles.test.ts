/**
 * The operator's core lifecycle in each emulated VVP version (tests/e2e/profiles.ts): the seed CR applied (as that
 * version takes its definition) → Ready with its conditions → an edit → a savepoint nonce → a delete through the
 * finalizer. One kube-apiserver for the file; each profile has its own emulator, namespace and operator process.
 */
import { startEmulator, type EmulatorHandle } from '../../emulator/src/server';
import { waitFor } from '../harness/proc';
import { seedResource } from '../fixtures/seed';
import { startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';
import { expectedStoredFields, LIFECYCLE_PROFILES, storedFields } from './profiles';

jest.setTimeout(300_000);

const NAME = 'my-deployment';
const CHECKPOINTING = { 'execution.checkpointing.interval': '10s' };
const CONDITIONS = ['Consistent', 'SpecAligned', 'NonceAligned', 'Healthy', 'Ready'];

let env: OperatorEnv;

beforeAll(async () => {
  // the env's own emulator is not used: each profile below starts its emulator and points its operator at it
  env = await startOperatorEnv({ namespaces: [] });
});

afterAll(async () => {
  await env?.stop();
});

const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);

describe.each(LIFECYCLE_PROFILES)('the operator lifecycle in profile $name', (row) => {
  const ns = `profile-${row.name.replace('.', '-')}`;
  let emu: EmulatorHandle;
  let operator: OperatorProcess;
  let manifest: any;

  const getCr = () => env.kube.kubectlJson<any>(['get', 'vvpdeployment', NAME, '-n', ns]);
  const vvp = () => emu.store.getDeployment('default', NAME);
  const deploymentWrites = () => emu.writes(new RegExp(`/deployments/${NAME}$|/deployments$`));
  const kubectl = (args: string[], opts: { allowFailure?: boolean } = {}) =>
    env.kube.kubectl([...args, '-n', ns], opts);
  let lastSeen: unknown;
  const waitCr = (what: string, check: (cr: any) => boolean) =>
    waitFor(`${ns}: ${what}`, async () => ((c) => ((lastSeen = c), check(c) ? c : undefined))(await getCr()), {
      timeoutMs: 60_000,
      intervalMs: 200,
      onTimeout: () => `last CR: ${JSON.stringify(lastSeen)}\noperator log:\n${operator.daemon.log(3000)}`,
    });
  const setState = async (state: string) => {
    manifest.spec.deployment.spec.state = state;
    await env.apply(manifest);
    await kubectl(['wait', 'vvpdeployment', NAME, `--for=jsonpath={.status.actualState}=${state}`, '--timeout=60s']);
  };

  beforeAll(async () => {
    emu = await startEmulator({ ...row.emulator, transitionDelayMs: 20, token: `admin-${ns}` });
    await env.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await env.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'my-vvp-apikey', namespace: ns },
      stringData: { token: emu.createToken('default', 'editor', 'operator') },
    });
    operator = await env.startOperator(['--resync-seconds', '600'], {
      name: `operator-${ns}`,
      vvpUrl: emu.url,
      namespaces: [ns],
    });
    const seed = seedResource(NAME, ns, env.instanceId);
    manifest = { ...seed, spec: { ...seed.spec, deployment: row.definition(NAME) } };
  });

  afterAll(async () => {
    await operator?.daemon.stop();
    await emu?.stop();
  });

  it('kubectl apply of the seed CR creates the deployment CANCELLED, Ready with its conditions', async () => {
    await env.apply(manifest);
    const cr = await waitCr('Ready', (c) => condition(c, 'Ready')?.status === 'True');
    const d = vvp();
    expect(cr.status).toMatchObject({ deploymentId: d.metadata.id, actualState: 'CANCELLED', observedGeneration: 1 });
    for (const type of CONDITIONS) expect(condition(cr, type)).toMatchObject({ type, status: 'True' });
    expect(cr.metadata.finalizers).toContain('ververica.platform/finalizer');
    expect(storedFields(row, d)).toEqual(expectedStoredFields(row));
    expect(d.spec.template?.spec?.resources?.taskmanager).toEqual({ cpu: 2, memory: '4g' });
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe(env.instanceId);
    // VVP 2.4 has no events endpoint: the operator's one POST is refused and it posts no more (ADR 0008)
    const events = emu.requests.filter((r) => r.path.endsWith('/events'));
    expect(events.map((r) => `${r.method} ${r.status}`)).toEqual([`POST ${row.eventsStatus}`]);
  });

  it('an edit of the definition is projected with one PATCH (SpecAligned True/ConfigUpdated)', async () => {
    const before = deploymentWrites().length;
    manifest.spec.deployment.spec.template.spec.flinkConfiguration = CHECKPOINTING;
    await env.apply(manifest);
    const cr = await waitCr(
      'ConfigUpdated for generation 2',
      (c) => c.status?.observedGeneration === 2 && condition(c, 'SpecAligned')?.reason === 'ConfigUpdated',
    );
    expect(condition(cr, 'SpecAligned').status).toBe('True');
    expect(
      deploymentWrites()
        .slice(before)
        .map((w) => w.method),
    ).toEqual(['PATCH']);
    expect(vvp().spec.template?.spec?.flinkConfiguration).toMatchObject(CHECKPOINTING);
    expect(storedFields(row, vvp())).toEqual(expectedStoredFields(row));
  });

  it('state RUNNING: actualState RUNNING with a job, Ready', async () => {
    await setState('RUNNING');
    const cr = await waitCr('Ready while RUNNING', (c) => condition(c, 'Ready')?.status === 'True');
    expect(cr.status.jobId).toBe(vvp().status?.running?.jobId);
    expect(cr.status.jobId).toBeTruthy();
  });

  it('a savepointNonce triggers one savepoint, COMPLETED (NonceAligned True)', async () => {
    manifest.spec.savepointNonce = 1;
    await env.apply(manifest);
    const cr = await waitCr(
      'savepoint nonce 1 COMPLETED',
      (c) => c.status?.lastProcessedSavepointNonce === 1 && c.status?.lastSavepoint?.state === 'COMPLETED',
    );
    const savepoints = emu.store
      .listSavepoints('default', { deploymentId: cr.status.deploymentId })
      .filter((s) => s.metadata.origin === 'USER_REQUEST');
    expect(savepoints.map((s) => s.metadata.id)).toEqual([cr.status.lastSavepoint.savepointId]);
    expect(condition(cr, 'NonceAligned')).toMatchObject({ status: 'True', reason: 'NoncesProcessed' });
  });

  it('cancel, then kubectl delete: the finalizer deletes the deployment from VVP and the CR goes', async () => {
    await setState('CANCELLED');
    await kubectl(['delete', 'vvpdeployment', NAME, '--timeout=60s']);
    const gone = await kubectl(['get', 'vvpdeployment', NAME], { allowFailure: true });
    expect(gone.stderr).toContain('NotFound');
    expect(() => vvp()).toThrow(/does not exist/);
    expect(emu.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200]);
  });
});
