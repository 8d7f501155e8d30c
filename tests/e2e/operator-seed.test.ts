/**
 * The VVP "Manage Deployments" walkthrough as a user follows it, every command in order, against a real
 * kube-apiserver + etcd, the operator process with its webhook registered in the apiserver, and the VVP emulator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from '../harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(600_000);

const NS = 'team-a';
let env: OperatorEnv;
let operator: OperatorProcess;
let manifest: ReturnType<typeof seedDeployment>;
let file: string;

const kubectl = (args: string[], opts: { allowFailure?: boolean } = {}) => env.kube.kubectl([...args, '-n', NS], opts);
const getCr = (name = 'my-deployment') => env.kube.kubectlJson<any>(['get', 'vvpdeployment', name, '-n', NS]);
const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);
const vvpDeployment = (name = 'my-deployment') => env.emulator.store.getDeployment('default', name);
const writes = (name = 'my-deployment') => env.emulator.writes(new RegExp(`/deployments/${name}$|/deployments$`));
const applyManifest = async () => {
  fs.writeFileSync(file, stringify(manifest));
  return kubectl(['apply', '-f', file]);
};
let lastSeen: unknown;
const waitCr = (what: string, check: (cr: any) => boolean, timeoutMs = 60_000) =>
  waitFor(what, async () => ((c) => ((lastSeen = c), check(c) ? c : undefined))(await getCr()), {
    timeoutMs,
    intervalMs: 250,
    onTimeout: () => `last CR: ${JSON.stringify(lastSeen)}\noperator log:\n${operator.daemon.log(3000)}`,
  });
const jsonpath = async (expr: string) =>
  (await kubectl(['get', 'vvpdeployment', 'my-deployment', '-o', `jsonpath=${expr}`])).stdout;

beforeAll(async () => {
  env = await startOperatorEnv();
  operator = await env.startOperator(['--resync-seconds', '600']);
  await env.registerWebhook(operator.webhookPort);
  manifest = seedDeployment();
  file = path.join(env.dir, 'my-deployment.yaml');
});

afterAll(async () => {
  await env?.stop();
});

describe('the Manage Deployments walkthrough', () => {
  it('kubectl apply creates the deployment in CANCELLED with initFields, and kubectl get shows HEALTHY True', async () => {
    await applyManifest();
    const cr = await waitCr(
      'Consistent=True',
      (c) => condition(c, 'Consistent')?.status === 'True' && condition(c, 'Ready')?.status === 'True',
    );
    const d = vvpDeployment();
    expect(cr.status.deploymentId).toBe(d.metadata.id);
    expect(d.spec.state).toBe('CANCELLED');
    expect(d.spec.template?.spec?.resources).toEqual({
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    });
    expect(d.spec.template?.spec?.logging?.log4jLoggers).toEqual({ '': 'INFO' });
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe('my-operator');
    expect(cr.metadata.finalizers).toContain('ververica.platform/finalizer');
    const table = (await kubectl(['get', 'vvpdeployment', 'my-deployment'])).stdout.trim().split('\n');
    expect(table[0]).toMatch(/^NAME\s+HEALTHY\s+READY\s+DESIRED\s+ACTUAL\s+DEPLOYMENT-ID\s+AGE/);
    expect(table[1]).toMatch(
      new RegExp(`^my-deployment\\s+True\\s+True\\s+CANCELLED\\s+CANCELLED\\s+${d.metadata.id}`),
    );
    const events = env.emulator.store.listEvents('default', { deploymentId: d.metadata.id }).map((e) => e.spec.message);
    expect(events).toContain('Kubernetes operator created deployment');
  });

  it('an update is projected (SpecAligned True/ConfigUpdated) and initFields are never sent again', async () => {
    const before = writes().length;
    manifest.spec.deployment.spec.template.spec.flinkConfiguration = { 'execution.checkpointing.interval': '10s' };
    manifest.spec.initFields.spec.template.spec.resources.taskmanager.memory = '8g';
    await applyManifest();
    const cr = await waitCr(
      'ConfigUpdated for generation 2',
      (c) => c.status?.observedGeneration === 2 && condition(c, 'SpecAligned')?.reason === 'ConfigUpdated',
    );
    expect(condition(cr, 'SpecAligned').status).toBe('True');
    const d = vvpDeployment();
    expect(d.spec.template?.spec?.flinkConfiguration?.['execution.checkpointing.interval']).toBe('10s');
    expect(d.spec.template?.spec?.resources?.taskmanager?.memory).toBe('4g');
    expect(
      writes()
        .slice(before)
        .map((w) => w.method),
    ).toEqual(['PATCH']);
    const events = env.emulator.store.listEvents('default', { deploymentId: d.metadata.id }).map((e) => e.spec.message);
    expect(events).toContain('Kubernetes operator projected deployment config (mode=PATCH)');
  });

  it('a change that does not touch spec leaves generation alone and shows SpecAligned True/SpecUnchanged', async () => {
    const before = env.emulator.writes().length;
    await kubectl(['annotate', 'vvpdeployment', 'my-deployment', 'example.com/note=metadata-only']);
    const cr = await waitCr('SpecUnchanged', (c) => condition(c, 'SpecAligned')?.reason === 'SpecUnchanged');
    expect(cr.metadata.generation).toBe(2);
    expect(condition(cr, 'SpecAligned').status).toBe('True');
    expect(env.emulator.writes().length).toBe(before);
  });

  it('PATCH keeps fields the CR omits; PUT resets them and keeps the description and system annotations', async () => {
    // someone sets a field and the description by hand in VVP
    env.emulator.store.patchDeployment('default', 'my-deployment', {
      metadata: { description: 'set in VVP' },
      spec: { maxSavepointCreationAttempts: 7 },
    });
    manifest.spec.deployment.spec.template.spec.parallelism = 2;
    await applyManifest();
    await waitCr('generation 3 projected', (c) => c.status?.observedGeneration === 3);
    expect(vvpDeployment().spec.maxSavepointCreationAttempts).toBe(7);
    expect(vvpDeployment().spec.template?.spec?.parallelism).toBe(2);

    // switching to PUT without the mandatory fields is rejected by the webhook, listing them all
    manifest.spec.syncingMode = 'PUT';
    const rejected = await applyManifest().catch((e: Error) => e);
    expect(rejected).toBeInstanceOf(Error);
    const msg = (rejected as Error).message;
    expect(msg).toContain('admission webhook');
    for (const f of ['upgradeStrategy.kind', 'restoreStrategy.kind', 'resources.jobmanager.cpu'])
      expect(msg).toContain(f);

    // with every mandatory field, the switch is accepted and the next change is a GET + PUT
    manifest.spec.deployment.spec.upgradeStrategy = { kind: 'STATEFUL' };
    manifest.spec.deployment.spec.restoreStrategy = { kind: 'LATEST_STATE' };
    manifest.spec.deployment.spec.template.spec.resources = {
      jobmanager: { cpu: 1, memory: '2g' },
      taskmanager: { cpu: 2, memory: '4g' },
    };
    const before = env.emulator.requests.length;
    const applied = await applyManifest();
    expect(applied.stderr).toContain('initFields');
    await waitCr(
      'PUT projected',
      (c) => c.status?.observedGeneration === 4 && condition(c, 'SpecAligned')?.reason === 'ConfigUpdated',
    );
    const reqs = env.emulator.requests
      .slice(before)
      .filter((r) => /\/deployments\/my-deployment$/.test(r.path))
      .map((r) => r.method);
    expect(reqs).toContain('PUT');
    expect(reqs.indexOf('GET')).toBeLessThan(reqs.indexOf('PUT'));
    const d = vvpDeployment();
    expect(d.spec.maxSavepointCreationAttempts).not.toBe(7);
    expect(d.metadata.description).toBe('set in VVP');
    expect(d.metadata.annotations?.['com.dataartisans.appmanager.controller.deployment.spec.version']).toBeDefined();
    expect(d.metadata.labels?.['ververica.platform/owner']).toBe('my-operator');
  });

  it('a state change to RUNNING shows observedSpecState at once and actualState once VVP gets there', async () => {
    await kubectl([
      'patch',
      'vvpdeployment',
      'my-deployment',
      '--type=merge',
      '-p',
      '{"spec":{"deployment":{"spec":{"state":"RUNNING"}}}}',
    ]);
    await waitCr('observedSpecState RUNNING', (c) => c.status?.observedSpecState === 'RUNNING');
    await kubectl([
      'wait',
      'vvpdeployment',
      'my-deployment',
      `--for=jsonpath={.status.actualState}=RUNNING`,
      '--timeout=120s',
    ]);
    const cr = await waitCr('Ready', (c) => condition(c, 'Ready')?.status === 'True');
    expect(cr.status.jobId).toBeTruthy();
    const events = env.emulator.store
      .listEvents('default', { deploymentId: cr.status.deploymentId })
      .map((e) => e.spec.message);
    expect(events).toContain(
      'Kubernetes operator projected deployment config (mode=PUT) including state change: CANCELLED → RUNNING',
    );
  });

  it('kubectl patch of savepointNonce triggers a savepoint, and a new value triggers another', async () => {
    const id = (await getCr()).status.deploymentId;
    const savepoints = () =>
      env.emulator.store
        .listSavepoints('default', { deploymentId: id })
        .filter((s) => s.metadata.origin === 'USER_REQUEST');
    await kubectl(['patch', 'vvpdeployment', 'my-deployment', '--type=merge', '-p', '{"spec":{"savepointNonce": 1}}']);
    let cr = await waitCr('savepoint nonce 1 processed', (c) => c.status?.lastProcessedSavepointNonce === 1);
    expect(savepoints()).toHaveLength(1);
    expect(cr.status.lastSavepoint).toMatchObject({ nonce: 1, savepointId: savepoints()[0]!.metadata.id });
    await waitCr('savepoint COMPLETED', (c) => c.status?.lastSavepoint?.state === 'COMPLETED');
    await kubectl(['patch', 'vvpdeployment', 'my-deployment', '--type=merge', '-p', '{"spec":{"savepointNonce": 2}}']);
    cr = await waitCr('savepoint nonce 2 processed', (c) => c.status?.lastProcessedSavepointNonce === 2);
    expect(savepoints()).toHaveLength(2);
    const aligned = JSON.parse(await jsonpath('{.status.conditions[?(@.type=="NonceAligned")]}'));
    expect(aligned).toMatchObject({ type: 'NonceAligned', status: 'True', reason: 'NoncesProcessed' });
  });

  it('kubectl patch of restartNonce restarts the job (a new job id)', async () => {
    const before = (await getCr()).status.jobId;
    await kubectl(['patch', 'vvpdeployment', 'my-deployment', '--type=merge', '-p', '{"spec":{"restartNonce": 1}}']);
    const cr = await waitCr(
      'new job id',
      (c) =>
        c.status?.lastProcessedRestartNonce === 1 &&
        c.status?.jobId &&
        c.status.jobId !== before &&
        c.status.actualState === 'RUNNING',
    );
    expect(cr.status.jobId).not.toBe(before);
    expect(vvpDeployment().spec.template?.metadata?.annotations?.['ververica.platform/restart-nonce']).toBe('1');
  });

  it('a nonce changed while CANCELLED is blocked and consumed (NonceAligned False/SavepointBlocked + Warning event)', async () => {
    await kubectl([
      'patch',
      'vvpdeployment',
      'my-deployment',
      '--type=merge',
      '-p',
      '{"spec":{"deployment":{"spec":{"state":"CANCELLED"}}}}',
    ]);
    await kubectl([
      'wait',
      'vvpdeployment',
      'my-deployment',
      `--for=jsonpath={.status.actualState}=CANCELLED`,
      '--timeout=120s',
    ]);
    const id = (await getCr()).status.deploymentId;
    const count = env.emulator.store.listSavepoints('default', { deploymentId: id }).length;
    await kubectl(['patch', 'vvpdeployment', 'my-deployment', '--type=merge', '-p', '{"spec":{"savepointNonce": 3}}']);
    const cr = await waitCr('blocked', (c) => condition(c, 'NonceAligned')?.reason === 'SavepointBlocked');
    expect(cr.status.lastProcessedSavepointNonce).toBe(3);
    expect(env.emulator.store.listSavepoints('default', { deploymentId: id })).toHaveLength(count);
    const status = await jsonpath('{.status.conditions[?(@.type=="NonceAligned")].status}');
    expect(status).toBe('False');
    const events = await waitFor('SavepointBlocked event', async () => {
      const list = await env.kube.kubectlJson<any>([
        'get',
        'events',
        '-n',
        NS,
        '--field-selector',
        'involvedObject.name=my-deployment,reason=SavepointBlocked',
      ]);
      return list.items.length ? list.items : undefined;
    });
    expect(events[0].type).toBe('Warning');
    expect(events).toHaveLength(1);
    // the operator does not retry on its own: back to RUNNING, nothing happens until a new value is set
    await kubectl([
      'patch',
      'vvpdeployment',
      'my-deployment',
      '--type=merge',
      '-p',
      '{"spec":{"deployment":{"spec":{"state":"RUNNING"}}}}',
    ]);
    await kubectl([
      'wait',
      'vvpdeployment',
      'my-deployment',
      `--for=jsonpath={.status.actualState}=RUNNING`,
      '--timeout=120s',
    ]);
    expect(env.emulator.store.listSavepoints('default', { deploymentId: id })).toHaveLength(count);
    await kubectl(['patch', 'vvpdeployment', 'my-deployment', '--type=merge', '-p', '{"spec":{"savepointNonce": 4}}']);
    await waitCr(
      'nonce 4 processed',
      (c) => c.status?.lastProcessedSavepointNonce === 4 && condition(c, 'NonceAligned')?.status === 'True',
    );
    expect(env.emulator.store.listSavepoints('default', { deploymentId: id })).toHaveLength(count + 1);
  });

  it('kubectl delete of a RUNNING deployment is rejected by the webhook with the way to proceed', async () => {
    const r = await kubectl(['delete', 'vvpdeployment', 'my-deployment', '--wait=false'], { allowFailure: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('RUNNING');
    expect(r.stderr).toContain('CANCELLED');
    expect(r.stderr).toContain('kubectl wait');
    expect((await getCr()).metadata.deletionTimestamp).toBeUndefined();
  });

  it('cancel, kubectl wait for CANCELLED, then kubectl delete removes the deployment from VVP and the CR', async () => {
    await kubectl([
      'patch',
      'vvpdeployment',
      'my-deployment',
      '--type=merge',
      '-p',
      '{"spec":{"deployment":{"spec":{"state":"CANCELLED"}}}}',
    ]);
    await kubectl([
      'wait',
      'vvpdeployment',
      'my-deployment',
      `--for=jsonpath={.status.actualState}=CANCELLED`,
      '--timeout=120s',
    ]);
    await kubectl(['delete', 'vvpdeployment', 'my-deployment', '--timeout=60s']);
    const gone = await kubectl(['get', 'vvpdeployment', 'my-deployment'], { allowFailure: true });
    expect(gone.stderr).toContain('NotFound');
    expect(() => vvpDeployment()).toThrow(/does not exist/);
  });

  it('a CR stuck Terminating with DeletionBlocked is recovered by patching it to CANCELLED', async () => {
    manifest = seedDeployment('race-deployment');
    manifest.spec.deployment.spec.state = 'RUNNING';
    file = path.join(env.dir, 'race-deployment.yaml');
    fs.writeFileSync(file, stringify(manifest));
    await kubectl(['apply', '-f', file]);
    await kubectl([
      'wait',
      'vvpdeployment',
      'race-deployment',
      `--for=jsonpath={.status.actualState}=RUNNING`,
      '--timeout=120s',
    ]);
    // the race: the webhook's look-up misses the deployment (as when its state changes between the webhook
    // check and the operator's cleanup), so the delete is admitted while the job still runs
    env.emulator.faults.addRoute({ method: 'GET', path: '/deployments/race-deployment$', status: 404, times: 1 });
    await kubectl(['delete', 'vvpdeployment', 'race-deployment', '--wait=false']);
    const blocked = async () =>
      (
        await kubectl([
          'get',
          'vvpdeployment',
          'race-deployment',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="DeletionBlocked")].status}',
        ])
      ).stdout;
    await waitFor('DeletionBlocked=True', async () => (await blocked()) === 'True', {
      timeoutMs: 60_000,
      onTimeout: () => operator.daemon.log(3000),
    });
    const cr = await getCr('race-deployment');
    expect(cr.metadata.deletionTimestamp).toBeTruthy();
    expect(condition(cr, 'DeletionBlocked')).toMatchObject({ reason: 'DeploymentActive' });
    expect(vvpDeployment('race-deployment').status?.state).toBe('RUNNING');
    await kubectl([
      'patch',
      'vvpdeployment',
      'race-deployment',
      '--type=merge',
      '-p',
      '{"spec":{"deployment":{"spec":{"state":"CANCELLED"}}}}',
    ]);
    await waitFor(
      'the CR to disappear',
      async () =>
        (await kubectl(['get', 'vvpdeployment', 'race-deployment'], { allowFailure: true })).stderr.includes(
          'NotFound',
        ),
      { timeoutMs: 120_000, onTimeout: () => operator.daemon.log(3000) },
    );
    expect(() => vvpDeployment('race-deployment')).toThrow(/does not exist/);
  });

  it('the operator ran as a non-admin user with only its ClusterRole and logged no API token', async () => {
    const log = fs.readFileSync(operator.daemon.logFile, 'utf8');
    expect(log).not.toContain(env.vvpToken);
    expect(log).not.toContain(env.operatorToken);
    expect(log).not.toMatch(/forbidden/i);
    expect(await operator.metric('vvp_operator_reconciles_total', { result: 'success' })).toBeGreaterThan(0);
  });
});
