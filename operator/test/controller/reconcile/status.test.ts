/** Healthy and Ready in the status: a job that ended while RUNNING is desired is JobFailed until it runs again. */
import { seedDefinition } from '../../../../tests/fixtures/seed';
import { applyCr, cond, KEY, setup, status, vvpDeployment } from './fixture';

const seedDefinitionRunning = () => seedDefinition('my-deployment', 'default', 'RUNNING');

describe('status: a FAILED job', () => {
  it('keeps Healthy=False/JobFailed and Ready=False over reconciles until VVP reports RUNNING again', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { syncingMode: 'PATCH', deployment: seedDefinitionRunning() });
    await r.reconcile(KEY);
    vvp.settle();
    await r.reconcile(KEY);
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'True', reason: 'Converged' });
    vvpDeployment(vvp).status = { state: 'FAILED' };
    for (let i = 0; i < 3; i++) {
      await r.reconcile(KEY);
      expect(status(kube).actualState).toBe('FAILED');
      expect(cond(kube, 'Healthy')).toMatchObject({
        status: 'False',
        reason: 'JobFailed',
        message: expect.stringContaining('VVP reports the deployment FAILED while its desired state is RUNNING'),
      });
      expect(cond(kube, 'Ready')).toMatchObject({ status: 'False', reason: 'JobFailed' });
    }
    vvp.settle();
    await r.reconcile(KEY);
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'True', reason: 'Converged' });
  });

  it('FINISHED while RUNNING is desired is JobFailed too, never Ready', async () => {
    const { kube, vvp, r } = setup();
    applyCr(kube, { syncingMode: 'PATCH', deployment: seedDefinitionRunning() });
    await r.reconcile(KEY);
    vvpDeployment(vvp).status = { state: 'FINISHED' };
    await r.reconcile(KEY);
    expect(cond(kube, 'Healthy')).toMatchObject({ status: 'False', reason: 'JobFailed' });
    expect(cond(kube, 'Ready')).toMatchObject({ status: 'False', reason: 'JobFailed' });
  });
});
