'use strict';
// `count` PATCH-mode deployments, CANCELLED, through the native provider (the same definitions as
// bench/provider/program, which uses the dynamic provider).
const pulumi = require('@pulumi/pulumi');
const vvp = require('vvp-iac/native');

const config = new pulumi.Config();
const count = config.requireNumber('count');
for (let i = 0; i < count; i++) {
  new vvp.Deployment(`bench-${i}`, {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name: `bench-${i}`, namespace: 'default' },
      spec: {
        state: 'CANCELLED',
        deploymentTargetName: 'default',
        template: { spec: { artifact: { kind: 'JAR', jarUri: `s3://bench/job-${i}.jar` } } },
      },
    },
    deletionPolicy: 'cancel',
  });
}
