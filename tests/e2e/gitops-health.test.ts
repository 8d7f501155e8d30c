/**
 * GitOps health of live CRs: the operator process (tests/e2e/operator-env.ts) against a real kube-apiserver + etcd
 * and the emulator; `kubectl wait --for=condition=Ready` (what Flux's kstatus and CI scripts rely on) returns once
 * the operator made the CR Ready, and the Argo CD health script (gopher-lua) reads the live CR as Healthy,
 * Suspended or Degraded. Also: deploy/vvp-operator.yaml applies with kubectl, and the argocd-cm snippet merges into an
 * existing argocd-cm ConfigMap with the documented `kubectl patch`.
 */
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/tools';
import { argocdHealth, registerCertManagerKinds } from './gitops-tools';
import { seedDeployment, startOperatorEnv, type OperatorEnv, type OperatorProcess } from './operator-env';

jest.setTimeout(10 * 60_000);

const SCRIPT = path.join(REPO_ROOT, 'deploy', 'argocd', 'vvpdeployment-health.lua');
let env: OperatorEnv;
let operator: OperatorProcess;
const manifest = seedDeployment('orders');

const kubectl = (args: string[]) => env.kube.kubectl(args, { timeoutMs: 150_000, allowFailure: true });
const health = async (name = 'orders') => {
  const cr = await env.kube.kubectlJson(['-n', 'team-a', 'get', 'vvpdeployment', name]);
  return argocdHealth(SCRIPT, [cr])[0];
};
const waitFor = async (condition: string, name = 'orders') => {
  const res = await kubectl(['-n', 'team-a', 'wait', `--for=${condition}`, `vvpdeployment/${name}`, '--timeout=120s']);
  if (res.code !== 0) throw new Error(`kubectl wait --for=${condition}: ${res.stderr}\n${operator.daemon.log(3000)}`);
  return res;
};

beforeAll(async () => {
  env = await startOperatorEnv({ instanceId: 'my-operator' });
  // No webhook registered: an invalid spec reaches the operator, which reports it in the CR's conditions.
  operator = await env.startOperator(['--resync-seconds', '600']);
});

afterAll(async () => {
  await env?.stop();
});

describe('kubectl wait and the Argo CD health of live CRs', () => {
  it('kubectl wait --for=condition=Ready returns once the operator created the deployment; Argo CD: Healthy', async () => {
    await env.apply(manifest);
    const waited = await waitFor('condition=Ready');
    expect(waited.stdout).toContain('vvpdeployment.ververica.platform/orders condition met');
    expect(await health()).toEqual({ status: 'Healthy', message: 'The deployment is CANCELLED in Ververica Platform' });
  });

  it('RUNNING, then SUSPENDED: Ready again each time, and Argo CD shows Healthy, then Suspended', async () => {
    manifest.spec.deployment.spec.state = 'RUNNING';
    await env.apply(manifest);
    await waitFor('jsonpath={.status.actualState}=RUNNING');
    await waitFor('condition=Ready');
    expect((await health()).status).toBe('Healthy');
    manifest.spec.deployment.spec.state = 'SUSPENDED';
    await env.apply(manifest);
    await waitFor('jsonpath={.status.actualState}=SUSPENDED');
    await waitFor('condition=Ready');
    expect(await health()).toEqual({
      status: 'Suspended',
      message: 'The deployment is SUSPENDED in Ververica Platform',
    });
  });

  it('an invalid spec: kubectl wait --for=condition=Healthy=false returns and Argo CD shows Degraded', async () => {
    const bad = seedDeployment('broken');
    bad.spec.deployment.metadata.name = 'Broken_Name';
    await env.apply(bad);
    await waitFor('condition=Healthy=false', 'broken');
    const result = await health('broken');
    expect(result.status).toBe('Degraded');
    expect(result.message).toMatch(/^\w+: .*"Broken_Name" is not a valid VVP name/);
    const ready = await kubectl([
      '-n',
      'team-a',
      'wait',
      '--for=condition=Ready',
      'vvpdeployment/broken',
      '--timeout=3s',
    ]);
    expect(ready.code).not.toBe(0);
  });

  it('the argocd-cm snippet merges into an existing argocd-cm with the documented kubectl patch', async () => {
    await env.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    await env.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: 'argocd' },
      data: { url: 'https://argocd.example' },
    });
    const file = path.join(REPO_ROOT, 'deploy', 'argocd', 'argocd-cm.yaml');
    const patched = await kubectl([
      '-n',
      'argocd',
      'patch',
      'configmap',
      'argocd-cm',
      '--type',
      'merge',
      '--patch-file',
      file,
    ]);
    expect(patched.code).toBe(0);
    const cm = await env.kube.kubectlJson(['-n', 'argocd', 'get', 'configmap', 'argocd-cm']);
    expect(cm.data.url).toBe('https://argocd.example');
    expect(cm.data['resource.customizations.health.ververica.platform_VvpDeployment']).toContain(
      'hs.status = "Degraded"',
    );
  });

  it('kubectl apply -f deploy/vvp-operator.yaml creates the operator on a cluster with cert-manager CRDs; set image', async () => {
    await registerCertManagerKinds(env.kube);
    const applied = await kubectl(['apply', '-f', path.join(REPO_ROOT, 'deploy', 'vvp-operator.yaml')]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('deployment.apps/vvp-operator created');
    expect(applied.stdout).toContain('certificate.cert-manager.io/vvp-operator-webhook created');
    const waited = await kubectl(['wait', '--for=condition=Established', 'crd/vvpdeployments.ververica.platform']);
    expect(waited.code).toBe(0);
    const image = 'registry.example/vvp-operator:0.1.0';
    const set = await kubectl(['-n', 'vvp-operator', 'set', 'image', 'deployment/vvp-operator', `operator=${image}`]);
    expect(set.code).toBe(0);
    const dep = await env.kube.kubectlJson(['-n', 'vvp-operator', 'get', 'deployment', 'vvp-operator']);
    expect(dep.spec.template.spec.containers[0].image).toBe(image);
  });
});
