// One VVP deployment through the native vvp provider (`vvp:index:Deployment`), driven by stack config:
//   pulumi config set vvp:baseUrl http://127.0.0.1:8080         (or export VVP_URL)
//   pulumi config set --secret vvp:apiToken <token>             (or export VVP_API_TOKEN; optional)
//   pulumi up                                                   # creates it CANCELLED
//   pulumi config set parallelism 2 && pulumi preview           # shows only ~ parallelism: 1 => 2
//   pulumi config set state RUNNING && pulumi up
//   pulumi config set savepointNonce 1 && pulumi up             # one savepoint
//   pulumi import vvp:index:Deployment legacy default/legacy --generate-code=false
//   pulumi destroy                                              # deletionPolicy decides (here: cancel)
import * as pulumi from '@pulumi/pulumi';
import * as vvp from 'vvp-iac/native';

const config = new pulumi.Config();

// An explicit provider when `explicitBaseUrl` is set (e.g. a second VVP); else the default provider (vvp:* config).
const explicitUrl = config.get('explicitBaseUrl');
const provider = explicitUrl
  ? new vvp.Provider('explicit', { baseUrl: explicitUrl, apiToken: config.getSecret('explicitApiToken') })
  : undefined;

const orders = new vvp.Deployment(
  'orders',
  {
    syncingMode: vvp.SyncingMode.PATCH,
    deployment: {
      metadata: { name: config.get('deploymentName') ?? 'orders', namespace: 'default', labels: { team: 'data' } },
      spec: {
        state: (config.get('state') ?? 'CANCELLED') as vvp.DesiredState,
        deploymentTargetName: 'default',
        template: {
          spec: {
            artifact: { kind: vvp.ArtifactKind.JAR, jarUri: 's3://artifacts/orders-job.jar' },
            parallelism: config.getNumber('parallelism') ?? 1,
          },
        },
      },
    },
    savepointNonce: config.getNumber('savepointNonce'),
    waitFor: { state: true, savepoint: true, timeoutSeconds: 120 },
    deletionPolicy: (config.get('deletionPolicy') ?? 'cancel') as vvp.DeletionPolicy,
  },
  { provider, import: config.get('importId') },
);

export const deploymentId = orders.deploymentId;
export const actualState = orders.actualState;
export const lastSavepoint = orders.lastSavepoint;
