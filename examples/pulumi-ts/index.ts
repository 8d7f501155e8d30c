// One VVP deployment in PUT mode from TypeScript: every PUT-mandatory field is set (VVP resets what PUT omits).
//   pulumi config set vvp:baseUrl https://vvp.example.com       (or export VVP_URL)
//   pulumi config set --secret vvp:apiToken <token>             (or export VVP_API_TOKEN)
//   pulumi up          # creates it and waits until it is RUNNING
//   pulumi destroy     # deletionPolicy cancel: set CANCELLED, wait, delete
import * as pulumi from '@pulumi/pulumi';
import { Deployment, type DeploymentArgs } from 'vvp-iac/pulumi';

const config = new pulumi.Config();

const args: DeploymentArgs = {
  syncingMode: 'PUT',
  deployment: {
    metadata: { name: config.get('deploymentName') ?? 'orders-ts', namespace: 'default' },
    spec: {
      state: 'RUNNING',
      deploymentTargetName: 'default',
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE' },
      template: {
        spec: {
          artifact: { kind: 'JAR', jarUri: 's3://artifacts/orders.jar', engineVersionName: 'vera-4.1-flink-1.20' },
          parallelism: config.getNumber('parallelism') ?? 2,
          resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 2, memory: '4g' } },
        },
      },
    },
  },
  waitFor: { state: true, timeoutSeconds: 300 },
  deletionPolicy: 'cancel',
};

const orders = new Deployment('orders', args);

export const deploymentId = orders.deploymentId;
export const actualState = orders.actualState;
export const lastChange = orders.lastChange;
