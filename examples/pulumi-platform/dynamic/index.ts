// The program of ../typescript/index.ts through vvp-iac/pulumi: the same resources as dynamic resources, so a
// TypeScript/JavaScript stack needs no plugin (types `pulumi-nodejs:dynamic/vvp:<Name>`). Same stack config keys.
import * as pulumi from '@pulumi/pulumi';
import * as vvp from 'vvp-iac/pulumi';

const config = new pulumi.Config();
const namespace = config.get('namespace') ?? 'default';

const target = new vvp.DeploymentTarget('jobs', {
  name: config.get('targetName') ?? 'jobs',
  namespace,
  kubernetesNamespace: config.get('kubernetesNamespace') ?? 'vvp-jobs',
  labels: { team: config.get('team') ?? 'data' },
});

const defaults = new vvp.DeploymentDefaults('defaults', {
  namespace,
  spec: { restoreStrategy: { kind: config.get('restoreStrategy') ?? 'LATEST_STATE' } },
});

const secret = new vvp.SecretValue('db-password', {
  name: 'db-password',
  namespace,
  value: config.requireSecret('dbPassword'),
  valueVersion: config.getNumber('secretVersion') ?? 1,
});

const cluster = new vvp.SessionCluster('shared', {
  name: 'shared',
  namespace,
  state: (config.get('clusterState') ?? 'RUNNING') as 'RUNNING' | 'STOPPED',
  deploymentTargetName: target.name,
  flinkVersion: '1.17',
  numberOfTaskManagers: config.getNumber('taskManagers') ?? 1,
  waitFor: { timeoutSeconds: 120 },
});

const artifact = { kind: 'JAR' as const, jarUri: 's3://artifacts/orders-job.jar' };

// application mode: its own Flink cluster in the target
const orders = new vvp.Deployment(
  'orders',
  {
    syncingMode: 'PATCH',
    // the definition is one input here: the target's name output resolves it (and orders the stack)
    deployment: target.name.apply((deploymentTargetName) => ({
      metadata: { name: 'orders', namespace },
      spec: {
        state: 'RUNNING' as const,
        deploymentTargetName,
        template: { spec: { artifact, parallelism: config.getNumber('parallelism') ?? 1 } },
      },
    })),
    waitFor: { state: true, timeoutSeconds: 120 },
    deletionPolicy: 'cancel',
  },
  { dependsOn: [defaults, secret] },
);

// session mode: a job on the shared session cluster
const clicks = new vvp.Deployment('clicks', {
  syncingMode: 'PATCH',
  deployment: cluster.name.apply((sessionClusterName) => ({
    metadata: { name: 'clicks', namespace, labels: { mode: config.get('clicksLabel') ?? 'session' } },
    spec: { state: 'RUNNING' as const, sessionClusterName, template: { spec: { artifact, parallelism: 1 } } },
  })),
  waitFor: { state: true, timeoutSeconds: 120 },
  deletionPolicy: 'cancel',
});

// a savepoint of the running application, kept in VVP when the stack is destroyed
const savepoint = new vvp.Savepoint('orders-baseline', {
  namespace,
  deploymentName: orders.deployment.apply((d) => d.metadata?.name ?? 'orders'),
  deletionPolicy: 'retain',
  waitFor: { timeoutSeconds: config.getNumber('savepointTimeout') ?? 120 },
});

export const targetId = target.targetId;
export const sessionClusterState = cluster.actualState;
export const ordersState = orders.actualState;
export const clicksState = clicks.actualState;
export const savepointLocation = savepoint.location;
