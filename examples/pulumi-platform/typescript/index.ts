// A VVP namespace from nothing through the native vvp provider: a deployment target, namespace defaults, a secret
// value, a session cluster, one application-mode and one session-mode deployment, and a retained savepoint.
//   pulumi config set vvp:baseUrl http://vvp.example.com:8080        (or export VVP_URL)
//   pulumi config set --secret vvp:apiToken <token>                  (optional)
//   pulumi config set --secret dbPassword <password>
//   pulumi up
// Every knob below is a stack config value (e.g. `pulumi config set taskManagers 2 && pulumi up`). `pulumi destroy`
// removes everything but the savepoint (deletionPolicy retain), the deployments before the cluster and the target.
// The same program in Pulumi YAML: ../yaml/Pulumi.yaml.
import * as pulumi from '@pulumi/pulumi';
import * as vvp from 'vvp-iac/native';

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
  state: (config.get('clusterState') ?? 'RUNNING') as vvp.SessionClusterState,
  deploymentTargetName: target.name,
  flinkVersion: '1.17',
  numberOfTaskManagers: config.getNumber('taskManagers') ?? 1,
  waitFor: { timeoutSeconds: 120 },
});

const artifact = { kind: vvp.ArtifactKind.JAR, jarUri: 's3://artifacts/orders-job.jar' };

// application mode: its own Flink cluster in the target
const orders = new vvp.Deployment(
  'orders',
  {
    syncingMode: vvp.SyncingMode.PATCH,
    deployment: {
      metadata: { name: 'orders', namespace },
      spec: {
        state: vvp.DesiredState.RUNNING,
        deploymentTargetName: target.name,
        template: { spec: { artifact, parallelism: config.getNumber('parallelism') ?? 1 } },
      },
    },
    waitFor: { state: true, timeoutSeconds: 120 },
    deletionPolicy: vvp.DeletionPolicy.Cancel,
  },
  { dependsOn: [defaults, secret] },
);

// session mode: a job on the shared session cluster
const clicks = new vvp.Deployment('clicks', {
  syncingMode: vvp.SyncingMode.PATCH,
  deployment: {
    metadata: { name: 'clicks', namespace, labels: { mode: config.get('clicksLabel') ?? 'session' } },
    spec: {
      state: vvp.DesiredState.RUNNING,
      sessionClusterName: cluster.name,
      template: { spec: { artifact, parallelism: 1 } },
    },
  },
  waitFor: { state: true, timeoutSeconds: 120 },
  deletionPolicy: vvp.DeletionPolicy.Cancel,
});

// a savepoint of the running application, kept in VVP when the stack is destroyed
const savepoint = new vvp.Savepoint('orders-baseline', {
  namespace,
  deploymentName: orders.deployment.apply((d) => d.metadata?.name ?? 'orders'),
  deletionPolicy: vvp.SavepointDeletionPolicy.Retain,
  waitFor: { timeoutSeconds: config.getNumber('savepointTimeout') ?? 120 },
});

export const targetId = target.targetId;
export const sessionClusterState = cluster.actualState;
export const ordersState = orders.actualState;
export const clicksState = clicks.actualState;
export const savepointLocation = savepoint.location;
