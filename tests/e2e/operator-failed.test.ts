/**
 * A FAILED job under the operator process (real kube-apiserver, the emulator failing every job of one deployment):
 * Healthy=False/JobFailed and Ready=False hold until the job runs again; the README's kubectl recovery (state
 * CANCELLED, wait, RUNNING, wait for RUNNING) brings it back once the cause is gone (ADR 0008).
 */
import { waitFor } from '../harness/proc';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(300_000);

const NS = 'team-a';
const NAME = 'failing';
let env: OperatorEnv;
let op: OperatorProcess;

const getCr = () => env.kube.kubectlJson<any>(['get', 'vvpdeployment', NAME, '-n', NS]);
const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);
const waitCr = (what: string, check: (cr: any) => boolean) =>
  waitFor(
    `${NAME}: ${what}`,
    async () => {
      const cr = await getCr();
      return check(cr) ? cr : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 300, onTimeout: () => op.daemon.log(3000) },
  );
const setState = (state: string) =>
  env.kube.kubectl([
    '-n',
    NS,
    'patch',
    'vvpd',
    NAME,
    '--type',
    'merge',
    '-p',
    JSON.stringify({ spec: { deployment: { spec: { state } } } }),
  ]);

beforeAll(async () => {
  env = await startOperatorEnv({ transitionDelayMs: 30 });
  op = await env.startOperator([]);
});
afterAll(async () => {
  await env?.stop();
});

describe('a FAILED deployment under the operator', () => {
  it('keeps JobFailed (never Ready) while FAILED and recovers with the README kubectl sequence', async () => {
    env.emulator.faults.setBehaviour({ failJobs: NAME });
    const cr = seedDeployment(NAME);
    cr.spec.deployment.spec.state = 'RUNNING';
    await env.apply(cr);
    const failed = await waitCr('JobFailed', (c) => condition(c, 'Healthy')?.reason === 'JobFailed');
    expect(failed.status.actualState).toBe('FAILED');
    expect(condition(failed, 'Healthy')).toMatchObject({
      status: 'False',
      message: expect.stringContaining('VVP reports the deployment FAILED while its desired state is RUNNING'),
    });
    expect(condition(failed, 'Ready')).toMatchObject({ status: 'False', reason: 'JobFailed' });
    env.emulator.faults.clear();
    await setState('CANCELLED');
    await env.kube.kubectl(['-n', NS, 'wait', `vvpd/${NAME}`, '--for=jsonpath={.status.actualState}=CANCELLED']);
    await setState('RUNNING');
    await env.kube.kubectl(['-n', NS, 'wait', `vvpd/${NAME}`, '--for=jsonpath={.status.actualState}=RUNNING']);
    await waitCr(
      'Ready',
      (c) => condition(c, 'Ready')?.status === 'True' && c.status.observedGeneration === c.metadata.generation,
    );
    const recovered = await getCr();
    expect(recovered.status.actualState).toBe('RUNNING');
    expect(condition(recovered, 'Healthy')).toMatchObject({ status: 'True', reason: 'Healthy' });
  });
});
