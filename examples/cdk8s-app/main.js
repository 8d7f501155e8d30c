#!/usr/bin/env node
/*
 * Example cdk8s app: one vvp-iac operator instance and two Ververica Platform deployments it reconciles.
 *   deployments/orders    PATCH mode; resources and logging are initFields (sent once, at creation)
 *   deployments/payments  PUT mode; the CR carries the full definition
 * Synthesize with `npx cdk8s synth` (or `node main.js`); apply dist/0000-operator.k8s.yaml first, wait for the CRD
 * (`kubectl wait --for=condition=Established crd/vvpdeployments.ververica.platform`), then dist/0001-deployments.k8s.yaml.
 *
 * Optional environment, for an operator running outside the cluster (local development, e2e tests):
 *   WEBHOOK_URL        base URL the API server calls the webhook at, e.g. https://127.0.0.1:9443
 *   WEBHOOK_CA_BUNDLE  base64 PEM of the CA that signed the webhook's certificate
 *   VVP_URL            Ververica Platform base URL (default http://vvp-ververica-platform.vvp.svc:8080)
 */
'use strict';
const { App, Chart } = require('cdk8s');
// The package references itself by name through its "exports" (no install step inside the repository).
const { VvpDeployment, VvpOperator } = require('vvp-iac/cdk8s');

const app = new App();

const operator = new VvpOperator(app, 'operator', {
  instanceId: 'vvp-operator-1',
  watchedNamespaces: ['team-a'],
  createWatchedNamespaces: true,
  vvpUrl: process.env.VVP_URL || 'http://vvp-ververica-platform.vvp.svc:8080',
  image: 'ghcr.io/vvp-iac/vvp-operator:0.1.0',
  ...(process.env.WEBHOOK_URL
    ? { webhookClientConfig: { url: process.env.WEBHOOK_URL }, caBundle: process.env.WEBHOOK_CA_BUNDLE }
    : { certManager: {} }),
});

const deployments = new Chart(app, 'deployments', { namespace: 'team-a' });
deployments.addDependency(operator);

new VvpDeployment(deployments, 'orders', {
  instanceId: operator.instanceId,
  apikeySecretName: 'vvp-apikey',
  syncingMode: 'PATCH',
  deployment: {
    metadata: { name: 'orders', namespace: 'default', description: 'Order enrichment' },
    spec: {
      state: 'CANCELLED',
      deploymentTargetName: 'default',
      template: {
        spec: {
          artifact: {
            kind: 'JAR',
            jarUri: 's3://my-bucket/artifacts/orders.jar',
            engineVersionName: 'vera-4.1-flink-1.20',
          },
        },
      },
    },
  },
  initFields: {
    spec: {
      template: {
        spec: {
          resources: { jobmanager: { cpu: 1.0, memory: '2g' }, taskmanager: { cpu: 2.0, memory: '4g' } },
          logging: { loggingProfile: 'default', log4jLoggers: { '': 'INFO' } },
        },
      },
    },
  },
});

new VvpDeployment(deployments, 'payments', {
  instanceId: operator.instanceId,
  apikeySecretName: 'vvp-apikey',
  syncingMode: 'PUT',
  savepointNonce: 1,
  deployment: {
    metadata: { name: 'payments', namespace: 'default', labels: { team: 'a' } },
    spec: {
      state: 'CANCELLED',
      deploymentTargetName: 'default',
      upgradeStrategy: { kind: 'STATEFUL' },
      restoreStrategy: { kind: 'LATEST_STATE' },
      template: {
        spec: {
          artifact: {
            kind: 'JAR',
            jarUri: 's3://my-bucket/artifacts/payments.jar',
            engineVersionName: 'vera-4.1-flink-1.20',
          },
          parallelism: 2,
          resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 1, memory: '2g' } },
          flinkConfiguration: { 'execution.checkpointing.interval': '60s' },
        },
      },
    },
  },
});

app.synth();
