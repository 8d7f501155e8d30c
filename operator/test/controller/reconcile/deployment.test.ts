/** The create step of a reconcile: a deployment target VVP lacks is named in CreateFailed with how to create it. */
import { applyCr, cond, KEY, seedSpec, setup } from './fixture';

describe('create: a missing deployment target', () => {
  it('sets Consistent=False/CreateFailed naming the target, the namespace and the fix', async () => {
    const { kube, vvp, r } = setup();
    vvp.fail({ method: 'createDeployment', status: 400, message: 'Deployment target does not exist' });
    vvp.fail({ method: 'getDeploymentTarget', status: 404 });
    applyCr(kube, seedSpec());
    await r.reconcile(KEY);
    expect(cond(kube, 'Consistent')).toMatchObject({
      status: 'False',
      reason: 'CreateFailed',
      message:
        'creating deployment default/my-deployment failed: deployment target default does not exist in VVP namespace default: create it (VVP UI → Deployment Targets, or the REST API POST /api/v1/namespaces/default/deployment-targets) or fix spec.deploymentTargetName',
    });
    expect(vvp.callsOf('getDeploymentTarget').map((c) => c.args)).toEqual([['default', 'default']]);
  });

  it("keeps VVP's message when the target exists", async () => {
    const { kube, vvp, r } = setup();
    vvp.fail({ method: 'createDeployment', status: 400, message: 'spec.template is invalid', times: 1 });
    applyCr(kube, seedSpec());
    await r.reconcile(KEY);
    expect(cond(kube, 'Consistent')?.message).toContain('spec.template is invalid');
    expect(cond(kube, 'Consistent')?.message).not.toContain('deployment target');
  });
});
