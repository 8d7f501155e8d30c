/**
 * Strict VVPs under the operator process (real kube-apiserver, the emulator's profiles; ADR 0011): a field vvp-2.4
 * does not keep gives one Warning event, status.fieldsNotKept and no re-projection; an ACTIVE Autopilot on vvp-3
 * scales for a while without the operator re-projecting anything, with the Autopilot conditions set.
 */
import { waitFor } from '../harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(300_000);

const NS = 'team-a';
const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function helpers(env: () => OperatorEnv, op: () => OperatorProcess) {
  const getCr = (name: string) => env().kube.kubectlJson<any>(['get', 'vvpdeployment', name, '-n', NS]);
  const waitCr = (name: string, what: string, check: (cr: any) => boolean, timeoutMs = 60_000) =>
    waitFor(
      `${name}: ${what}`,
      async () => {
        const cr = await getCr(name);
        return check(cr) ? cr : undefined;
      },
      { timeoutMs, intervalMs: 200, onTimeout: () => op().daemon.log(3000) },
    );
  const events = async (name: string, reason: string) =>
    (
      await env().kube.kubectlJson<any>([
        'get',
        'events',
        '-n',
        NS,
        '--field-selector',
        `involvedObject.name=${name},reason=${reason}`,
      ])
    ).items as { type: string; message: string; count?: number }[];
  /** Client writes (PATCH, PUT, POST) of one deployment after a mark. */
  const writesOf = (name: string, mark: number) =>
    env()
      .emulator.requests.slice(mark)
      .filter((r) => ['PATCH', 'PUT', 'POST'].includes(r.method) && r.path.endsWith(`/deployments/${name}`));
  return { getCr, waitCr, events, writesOf };
}

describe('vvp-2.4: a field VVP does not keep', () => {
  let env: OperatorEnv;
  let op: OperatorProcess;
  const h = helpers(
    () => env,
    () => op,
  );
  beforeAll(async () => {
    env = await startOperatorEnv({ transitionDelayMs: 30, emulator: { profile: 'vvp-2.4' } });
    op = await env.startOperator(['--resync-seconds', '1']);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('is recorded in status.fieldsNotKept with one FieldNotKept Warning, and never re-projected', async () => {
    const cr = seedDeployment('typo');
    const spec = cr.spec.deployment.spec.template.spec;
    spec.artifact = { kind: 'JAR', jarUri: 's3://my-bucket/artifacts/MyJob.jar', flinkVersion: '1.17' };
    spec.paralellism = 2;
    await env.apply(cr);
    const seen = await h.waitCr('typo', 'fieldsNotKept', (c) => c.status?.fieldsNotKept !== undefined);
    expect(seen.status.fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
    expect(condition(seen, 'SpecAligned').message).toContain(
      'VVP did not keep field spec.template.spec.paralellism: check its spelling and the VVP version',
    );
    const mark = env.emulator.requests.length;
    // several resyncs later: no write of the deployment, still one Warning event
    await sleep(5000);
    expect(h.writesOf('typo', mark)).toEqual([]);
    const warnings = await h.events('typo', 'FieldNotKept');
    expect(warnings.map((e) => [e.type, e.count ?? 1])).toEqual([['Warning', 1]]);
    expect(warnings[0]!.message).toBe(
      'VVP did not keep field spec.template.spec.paralellism: check its spelling and the VVP version',
    );
    // the VVP without an events endpoint is noted once, with an info line
    expect(op.daemon.log(100_000).split('has no events endpoint').length - 1).toBe(1);
  });
});

describe('vvp-3: an ACTIVE Autopilot scaling the job', () => {
  let env: OperatorEnv;
  let op: OperatorProcess;
  const h = helpers(
    () => env,
    () => op,
  );
  beforeAll(async () => {
    env = await startOperatorEnv({ transitionDelayMs: 400, emulator: { profile: 'vvp-3', autopilotIntervalMs: 1500 } });
    op = await env.startOperator(['--resync-seconds', '1']);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('is never undone: no re-projection, StateProjectionSuppressedAutopilot while it scales, ParallelismAligned', async () => {
    const cr = seedDeployment('scaled');
    cr.spec.deployment.spec.state = 'RUNNING';
    cr.spec.deployment.spec.template.spec.parallelism = 2;
    await env.apply(cr);
    const running = await h.waitCr('scaled', 'RUNNING', (c) => c.status?.actualState === 'RUNNING');
    const id = running.status.deploymentId as string;
    const token = env.emulator.createToken('default', 'editor', 'autopilot-test');
    const put = await fetch(
      `${env.emulator.url}/autopilot/v1alpha1/namespaces/default/deployments/${id}/autopilotpolicy`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ mode: 'AUTOPILOT_MODE_ACTIVE' }),
      },
    );
    expect(put.status).toBe(200);
    const mark = env.emulator.requests.length;
    await h.waitCr(
      'scaled',
      'StateProjectionSuppressedAutopilot',
      (c) => condition(c, 'SpecAligned')?.reason === 'StateProjectionSuppressedAutopilot',
    );
    const aligned = await h.waitCr('scaled', 'ParallelismAligned', (c) => condition(c, 'ParallelismAligned'));
    expect(['RuntimeParallelismMatches', 'AutopilotOverride']).toContain(
      condition(aligned, 'ParallelismAligned').reason,
    );
    await sleep(6000);
    expect(h.writesOf('scaled', mark)).toEqual([]);
    expect(env.emulator.store.getDeployment('default', 'scaled').spec.template?.spec?.parallelism).toBe(2);
    const after = await h.waitCr('scaled', 'SpecAligned again', (c) => condition(c, 'SpecAligned')?.status === 'True');
    expect(after.status.deploymentId).toBe(id);
  });
});
