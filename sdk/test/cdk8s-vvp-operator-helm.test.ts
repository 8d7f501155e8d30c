import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { conditionFor, type HelmVariant } from '../src/cdk8s/helm-template';
import { VvpOperator } from '../src/cdk8s/index';
import { defaultHelmValues, renderVvpOperatorHelmChart } from '../src/cdk8s/vvp-operator-helm';

// The same function writes deploy/ (compiled) and is checked here (sources), as for deploy/vvp-operator.yaml.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderDeploy, extraChartFiles, HELM_CHART_DIR } = require('../../scripts/synth-deploy.js') as {
  renderDeploy: (lib: object) => Record<string, string>;
  extraChartFiles: (outputs: Record<string, string>) => string[];
  HELM_CHART_DIR: string;
};

const root = path.resolve(__dirname, '..', '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

describe('the Helm chart generated from VvpOperator', () => {
  const outputs = renderDeploy({ App, VvpOperator, renderVvpOperatorHelmChart });
  const chartFiles = Object.keys(outputs).filter((f) => f.startsWith(`${HELM_CHART_DIR}/`));

  it.each(chartFiles)('the checked-in %s is what the construct generates (run node scripts/synth-deploy.js)', (rel) => {
    expect(fs.readFileSync(path.join(root, rel), 'utf8')).toBe(outputs[rel]);
  });

  it('the chart directory holds no file the generator does not write', () => {
    expect(chartFiles.length).toBeGreaterThan(8);
    expect(extraChartFiles(outputs)).toEqual([]);
  });

  it('Chart.yaml carries the package version; values.yaml holds the construct defaults', () => {
    const files = renderVvpOperatorHelmChart(version);
    expect(YAML.parse(files['Chart.yaml'])).toMatchObject({ apiVersion: 'v2', version, appVersion: version });
    const values = YAML.parse(files['values.yaml']);
    expect(values).toEqual(defaultHelmValues());
    expect(values.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(values.replicas).toBe(1);
    expect(values.webhook.timeoutSeconds).toBe(10);
  });

  it('the CRD is in crds/ (installed once by Helm) and in no template', () => {
    const files = renderVvpOperatorHelmChart(version);
    expect(YAML.parse(files['crds/vvpdeployments.yaml']).kind).toBe('CustomResourceDefinition');
    for (const [file, body] of Object.entries(files)) {
      if (file.startsWith('templates/')) expect(body).not.toContain('CustomResourceDefinition');
    }
  });

  it('every template value comes from .Values, .Release or .Chart: no placeholder token is left', () => {
    const files = renderVvpOperatorHelmChart(version);
    for (const body of Object.values(files)) expect(body).not.toMatch(/zz[a-z0-9]+zz/);
    expect(files['templates/deployment.yaml']).toContain('{{- toYaml $.Values.resources | nindent 12 }}');
    expect(files['templates/rolebinding.yaml']).toContain('{{- range $ns := $.Values.watchedNamespaces }}');
  });
});

describe('conditionFor (the guard of one rendering)', () => {
  const dims = [
    { name: 'a', expr: '$.Values.a' },
    { name: 'b', expr: '$.Values.b' },
  ];
  const variants: HelmVariant[] = [
    { assignment: { a: true, b: true }, objects: [] },
    { assignment: { a: true, b: false }, objects: [] },
    { assignment: { a: false, b: false }, objects: [] },
  ];

  it('no condition when the rendering occurs in every variant', () => {
    expect(conditionFor(dims, variants, new Set([0, 1, 2]))).toBe('');
  });

  it('one literal when one dimension decides', () => {
    expect(conditionFor(dims, variants, new Set([0, 1]))).toBe('$.Values.a');
    expect(conditionFor(dims, variants, new Set([2]))).toBe('not $.Values.a');
    expect(conditionFor(dims, variants, new Set([0]))).toBe('$.Values.b');
  });

  it('a conjunction, and a disjunction when no conjunction selects exactly the set', () => {
    expect(conditionFor(dims, variants, new Set([1]))).toBe('and ($.Values.a) (not $.Values.b)');
    expect(conditionFor(dims, variants, new Set([0, 2]))).toBe(
      'or (and ($.Values.a) ($.Values.b)) (and (not $.Values.a) (not $.Values.b))',
    );
  });
});
