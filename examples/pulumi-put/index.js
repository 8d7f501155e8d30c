'use strict';
// PUT mode: every PUT-mandatory field is set, and VVP resets any field the program omits.
// Optional stack config: state, parallelism, maxJobCreationAttempts (omit it to see VVP reset it), deletionPolicy.
const pulumi = require('@pulumi/pulumi');
const vvp = require('vvp-iac/pulumi');

const config = new pulumi.Config();
const maxJobCreationAttempts = config.getNumber('maxJobCreationAttempts');

const payments = new vvp.Deployment('payments', {
  syncingMode: 'PUT',
  deployment: {
    metadata: { name: config.get('deploymentName') || 'payments', namespace: 'default', labels: { team: 'payments' } },
    spec: {
      state: config.get('state') || 'CANCELLED',
      deploymentTargetName: 'default',
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE', allowNonRestoredState: false },
      ...(maxJobCreationAttempts !== undefined ? { maxJobCreationAttempts } : {}),
      template: {
        spec: {
          artifact: {
            kind: 'JAR',
            jarUri: 's3://artifacts/payments-job.jar',
            engineVersionName: 'vera-4.1-flink-1.20',
          },
          parallelism: config.getNumber('parallelism') || 2,
          resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '2g' } },
          flinkConfiguration: { 'execution.checkpointing.interval': '10s' },
        },
      },
    },
  },
  restartNonce: config.getNumber('restartNonce'),
  deletionPolicy: config.get('deletionPolicy') || 'cancel',
});

exports.deploymentId = payments.deploymentId;
exports.actualState = payments.actualState;
exports.lastChange = payments.lastChange;
exports.resourceVersion = payments.resourceVersion;
