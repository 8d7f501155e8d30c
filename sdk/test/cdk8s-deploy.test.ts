import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { VvpOperator } from '../src/cdk8s/index';

// A plain CommonJS script; the same function writes deploy/ (with the compiled chart) and is checked here (with the sources).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderDeploy } = require('../../scripts/synth-deploy.js') as {
  renderDeploy: (lib: { App: typeof App; VvpOperator: typeof VvpOperator }) => Record<string, string>;
};

const root = path.resolve(__dirname, '..', '..');

describe('deploy/ manifests', () => {
  const outputs = renderDeploy({ App, VvpOperator });

  it.each(Object.keys(outputs))(
    'the checked-in %s is what the VvpOperator chart synthesizes (run node scripts/synth-deploy.js)',
    (rel) => {
      expect(fs.readFileSync(path.join(root, rel), 'utf8')).toBe(outputs[rel]);
    },
  );

  it('deploy/vvp-operator.yaml holds the CRD, the operator workload and the webhook, each object once', () => {
    const docs = YAML.parseAllDocuments(outputs['deploy/vvp-operator.yaml']).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string } },
    );
    const kinds = docs.map((d) => d.kind);
    for (const kind of [
      'CustomResourceDefinition',
      'ServiceAccount',
      'ClusterRole',
      'RoleBinding',
      'Deployment',
      'Service',
      'Certificate',
      'ValidatingWebhookConfiguration',
    ]) {
      expect(kinds).toContain(kind);
    }
    const ids = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
