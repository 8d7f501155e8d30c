/**
 * VvpDeploymentCR under Pulumi mocks (process-wide runtime state: keep this file on its own).
 */
import * as pulumi from '@pulumi/pulumi';
import { buildCustomResource } from '../../core/src/index';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  'project',
  'stack',
  false,
);

// Loaded after setMocks, as Pulumi's mock guide requires.
type CrModule = typeof import('../src/pulumi/vvp-deployment-cr');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VvpDeploymentCR } = require('../src/pulumi/vvp-deployment-cr') as CrModule;

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    output.apply((v) => {
      resolve(v);
      return v;
    });
    // A failed apply never calls back; surface its error through the output's internal promise.
    (output as unknown as { promise(): Promise<T> }).promise().catch(reject);
  });
}

const putDeployment = {
  metadata: { name: 'payments', namespace: 'default' },
  spec: {
    state: 'RUNNING' as const,
    deploymentTargetName: 'default',
    upgradeStrategy: { kind: 'STATEFUL' as const },
    restoreStrategy: { kind: 'LATEST_STATE' as const },
    template: {
      spec: {
        artifact: { kind: 'JAR' as const, jarUri: 's3://b/p.jar' },
        parallelism: 1,
        resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '2g' } },
      },
    },
  },
};

beforeEach(() => {
  registered.length = 0;
});

describe('VvpDeploymentCR (Pulumi mocks)', () => {
  it('registers a kubernetes VvpDeployment custom resource as a child of the component, with the object core builds', async () => {
    const cr = new VvpDeploymentCR('orders', {
      instanceId: 'op-1',
      metadata: { namespace: 'team-a' },
      deployment: { metadata: { name: 'orders' } },
      apikeySecretName: 'vvp-apikey',
      savepointNonce: 2,
    });
    const manifest = await valueOf(cr.manifest);
    await valueOf(cr.customResource.urn);
    const expected = buildCustomResource({
      name: 'orders',
      namespace: 'team-a',
      instanceId: 'op-1',
      deployment: { metadata: { name: 'orders' } },
      apikeySecretName: 'vvp-apikey',
      savepointNonce: 2,
    });
    expect(manifest).toEqual(expected);
    const child = registered.find((r) => r.type === 'kubernetes:ververica.platform/v1:VvpDeployment');
    expect(child).toBeDefined();
    expect(child!.name).toBe('orders');
    expect(child!.inputs).toEqual({
      apiVersion: 'ververica.platform/v1',
      kind: 'VvpDeployment',
      metadata: expected.metadata,
      spec: expected.spec,
    });
    expect(registered.map((r) => r.type)).toContain('vvp:index:VvpDeploymentCR');
    const urn = await valueOf(cr.customResource.urn);
    expect(urn).toContain('vvp:index:VvpDeploymentCR$kubernetes:ververica.platform/v1:VvpDeployment::orders');
  });

  it('a bumped savepointNonce reaches the custom resource spec, where the operator picks it up', async () => {
    const cr = new VvpDeploymentCR('payments', {
      instanceId: 'op-1',
      syncingMode: 'PUT',
      deployment: putDeployment,
      savepointNonce: pulumi.output(3),
    });
    await valueOf(cr.customResource.urn);
    const child = registered.find((r) => r.type.endsWith(':VvpDeployment') && r.name === 'payments')!;
    expect(child.inputs.spec.savepointNonce).toBe(3);
    expect(child.inputs.spec.syncingMode).toBe('PUT');
    expect(child.inputs.metadata.labels).toEqual({ 'ververica.platform/owner': 'op-1' });
  });

  it('without names the CR takes the Pulumi resource name, and so does the VVP deployment', async () => {
    const cr = new VvpDeploymentCR('nameless', { instanceId: 'op-1', deployment: {} });
    const manifest = await valueOf(cr.manifest);
    expect(manifest.metadata.name).toBe('nameless');
    expect(manifest.spec.deployment.metadata).toEqual({ name: 'nameless', namespace: 'default' });
  });

  it('an invalid definition fails where it is declared, with every problem the webhook would report', () => {
    expect(
      () =>
        new VvpDeploymentCR('broken', {
          instanceId: 'op-1',
          syncingMode: 'PUT',
          deployment: { metadata: { name: 'broken' } },
          restartNonce: 0.5,
        }),
    ).toThrow(/PUT mode requires `deployment.spec.template.spec.parallelism`[\s\S]*`restartNonce` must be an integer/);
  });

  it('definitions known only later are validated once they resolve', async () => {
    const cr = new VvpDeploymentCR('later', {
      instanceId: 'op-1',
      deployment: pulumi.output({ metadata: { name: 'later' }, spec: { state: 'RUNNING' as const } }),
    });
    const manifest = await valueOf(cr.manifest);
    expect(manifest.spec.deployment.spec).toEqual({ state: 'RUNNING' });
  });
});
