'use strict';
// `count` PATCH-mode deployments, CANCELLED, for the provider benchmark. Config `kind: trivial` declares the
// baseline instead: the same number of dynamic resources with the same inputs, whose provider does nothing but echo
// them (create returns the inputs, diff compares them), so the difference is what vvp-iac's provider costs.
const pulumi = require('@pulumi/pulumi');
const vvp = require('vvp-iac/pulumi');

const config = new pulumi.Config();
const count = config.requireNumber('count');
const kind = config.get('kind') || 'vvp';

const trivialProvider = {
  async create(inputs) {
    return { id: `trivial-${inputs.deployment.metadata.name}`, outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news) };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

class Trivial extends pulumi.dynamic.Resource {
  constructor(name, args) {
    super(trivialProvider, name, args, {}, 'bench', 'Trivial');
  }
}

const vvpConfig = new pulumi.Config('vvp');
for (let i = 0; i < count; i++) {
  const args = {
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
  };
  if (kind === 'vvp') new vvp.Deployment(`bench-${i}`, args);
  else
    new Trivial(`bench-${i}`, {
      ...args,
      baseUrl: vvpConfig.get('baseUrl'),
      apiToken: vvpConfig.getSecret('apiToken'),
    });
}
