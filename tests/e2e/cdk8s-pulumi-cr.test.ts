/**
 * The Pulumi CR path end to end: a Pulumi program declares a VvpDeploymentCR (vvp-iac/pulumi-kubernetes) through the real
 * pulumi CLI and pulumi-resource-kubernetes; the operator reconciles it into the VVP emulator, and a savepointNonce
 * bumped in Pulumi config makes the operator take a savepoint. Needs `npm run build` and
 * `bash scripts/tools.sh --with-kubernetes-provider`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPulumi, type Pulumi, type PulumiStack } from '../harness/pulumi';
import { waitFor } from '../harness/proc';
import { toolPath, toolsBinDir } from '../harness/tools';
import { INSTANCE_ID, startOperatorEnvironment, WATCHED_NAMESPACE, type OperatorEnvironment } from './cdk8s-support';

const PROGRAM = `'use strict';
const pulumi = require('@pulumi/pulumi');
const { VvpDeploymentCR } = require('vvp-iac/pulumi-kubernetes');
const config = new pulumi.Config();
const cr = new VvpDeploymentCR('orders', {
  instanceId: '${INSTANCE_ID}',
  metadata: { namespace: '${WATCHED_NAMESPACE}' },
  apikeySecretName: 'vvp-apikey',
  deployment: {
    metadata: { name: 'pulumi-orders' },
    spec: {
      state: config.get('state') || 'CANCELLED',
      deploymentTargetName: 'default',
      template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://bucket/orders.jar' } } },
    },
  },
  savepointNonce: config.getNumber('savepointNonce'),
});
exports.crName = cr.manifest.metadata.name;
`;

// Each pulumi command is bounded, so a hang shows the command's output instead of a bare jest timeout.
const STEP = { timeoutMs: 150_000 };

describe('VvpDeploymentCR under the pulumi CLI with the operator running', () => {
  let env: OperatorEnvironment;
  let pulumi: Pulumi;
  let stack: PulumiStack;
  let programDir: string;

  beforeAll(async () => {
    toolPath('pulumi-resource-kubernetes'); // throws with the build hint when it is missing
    env = await startOperatorEnvironment();
    programDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-cr-program-'));
    const dir = path.join(programDir, 'vvp-cr');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'Pulumi.yaml'),
      'name: vvp-cr-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n',
    );
    fs.writeFileSync(path.join(dir, 'index.js'), PROGRAM);
    pulumi = await createPulumi({
      env: { KUBECONFIG: env.kube.kubeconfig, PATH: `${toolsBinDir()}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    stack = await pulumi.stack(dir);
  }, 10 * 60_000);

  afterAll(async () => {
    await pulumi?.cleanup();
    await env?.stop();
    if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
  }, 120_000);

  const crStatus = async () =>
    (
      await env.kube.kubectlJson<{
        status?: { actualState?: string; lastSavepoint?: { nonce?: number; savepointId?: string } };
      }>(['-n', WATCHED_NAMESPACE, 'get', 'vvpdeployment', 'pulumi-orders'])
    ).status;

  it(
    'pulumi up creates the CR and the operator creates the deployment in VVP',
    async () => {
      // Some config must exist: with none, pulumi 3.274 hands the program PULUMI_CONFIG=null and Config.get throws.
      await stack.setConfig('state', 'CANCELLED');
      await stack.up(STEP);
      expect((await stack.outputs()).crName).toBe('pulumi-orders');
      const deployment = await waitFor(
        'deployment pulumi-orders in VVP',
        () => env.vvp.findDeployment('default', 'pulumi-orders'),
        {
          timeoutMs: 60_000,
          onTimeout: env.operatorLog,
        },
      );
      expect(deployment.spec.state).toBe('CANCELLED');
      expect(deployment.metadata.labels?.['ververica.platform/owner']).toBe(INSTANCE_ID);
    },
    5 * 60_000,
  );

  it(
    'a savepointNonce bumped in Pulumi makes the operator take a savepoint of the running job',
    async () => {
      await stack.setConfig('state', 'RUNNING');
      await stack.up(STEP);
      await waitFor('actual state RUNNING', async () => (await crStatus())?.actualState === 'RUNNING', {
        timeoutMs: 60_000,
        onTimeout: env.operatorLog,
      });
      await stack.setConfig('savepointNonce', '1');
      await stack.up(STEP);
      const status = await waitFor(
        'status.lastSavepoint for nonce 1',
        async () => {
          const s = await crStatus();
          return s?.lastSavepoint?.nonce === 1 && s.lastSavepoint.savepointId ? s : undefined;
        },
        { timeoutMs: 60_000, onTimeout: env.operatorLog },
      );
      const deployment = await env.vvp.findDeployment('default', 'pulumi-orders');
      const savepoints = await env.vvp.listSavepoints('default', { deploymentId: deployment!.metadata.id });
      expect(savepoints.map((s) => s.metadata.id)).toContain(status.lastSavepoint!.savepointId);
    },
    5 * 60_000,
  );

  it(
    'after cancelling, pulumi destroy deletes the CR and the operator deletes the deployment',
    async () => {
      await stack.setConfig('state', 'CANCELLED');
      await stack.up(STEP);
      await waitFor('actual state CANCELLED', async () => (await crStatus())?.actualState === 'CANCELLED', {
        timeoutMs: 60_000,
        onTimeout: env.operatorLog,
      });
      await stack.destroy(STEP);
      await waitFor(
        'deployment gone from VVP',
        async () => (await env.vvp.findDeployment('default', 'pulumi-orders')) === undefined,
        {
          timeoutMs: 60_000,
          onTimeout: env.operatorLog,
        },
      );
    },
    5 * 60_000,
  );
});
