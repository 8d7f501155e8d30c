'use strict';
// One VVP deployment in PATCH mode. Each step of its lifecycle is a stack config value:
//   pulumi config set vvp:baseUrl http://127.0.0.1:8080      (or export VVP_URL)
//   pulumi config set --secret vvp:apiToken <token>          (or export VVP_API_TOKEN; optional)
//   pulumi up                                   # creates it CANCELLED
//   pulumi config set state RUNNING && pulumi up
//   pulumi config set savepointNonce 1 && pulumi up      # one savepoint
//   pulumi config set restartNonce 1 && pulumi up        # one job restart
//   pulumi config set state SUSPENDED && pulumi up
//   pulumi destroy                              # deletionPolicy decides (default here: cancel)
const pulumi = require('@pulumi/pulumi');
const vvp = require('vvp-iac/pulumi');

const config = new pulumi.Config();

const orders = new vvp.Deployment('orders', {
  syncingMode: 'PATCH',
  deployment: {
    metadata: {
      name: config.get('deploymentName') || 'orders',
      namespace: config.get('namespace') || 'default',
      labels: { team: 'data' },
    },
    spec: {
      state: config.get('state') || 'CANCELLED',
      deploymentTargetName: 'default',
      template: {
        spec: {
          artifact: { kind: 'JAR', jarUri: 's3://artifacts/orders-job.jar', engineVersionName: 'vera-4.1-flink-1.20' },
          parallelism: config.getNumber('parallelism') || 1,
        },
      },
    },
  },
  // applied only when the deployment is created; later edits are ignored (with a warning)
  initFields: {
    spec: {
      template: {
        spec: { resources: { jobmanager: { cpu: 1, memory: '2g' }, taskmanager: { cpu: 2, memory: '4g' } } },
      },
    },
  },
  savepointNonce: config.getNumber('savepointNonce'),
  restartNonce: config.getNumber('restartNonce'),
  waitFor: {
    state: true,
    savepoint: config.getBoolean('waitForSavepoint') || false,
    timeoutSeconds: config.getNumber('timeoutSeconds') || 300,
  },
  deletionPolicy: config.get('deletionPolicy') || 'cancel',
  adopt: config.getBoolean('adopt') || false,
});

exports.deploymentId = orders.deploymentId;
exports.actualState = orders.actualState;
// outputs VVP may leave unset are exported as null rather than undefined
exports.jobId = orders.jobId.apply((v) => v || null);
exports.lastChange = orders.lastChange;
exports.lastSavepoint = orders.lastSavepoint.apply((v) => v || null);
exports.blockedNonces = orders.blockedNonces.apply((v) => v || []);
exports.resourceVersion = orders.resourceVersion;
