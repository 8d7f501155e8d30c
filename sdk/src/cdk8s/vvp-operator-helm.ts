/**
 * The Helm chart of the operator (deploy/helm/vvp-operator), generated from the VvpOperator construct: the same
 * objects, with the construct's properties as Helm values. `scripts/synth-deploy.js` writes it; `--check` fails when
 * the checked-in chart is stale. The CRD goes to the chart's crds/ directory (Helm installs it, never upgrades it).
 */
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { helmTemplates, type HelmDimension, type HelmToken, type HelmVariant } from './helm-template';
import { loadCrd, VvpOperator, type VvpOperatorProps } from './vvp-operator';

/** The chart's values with their defaults (values.yaml). */
export interface VvpOperatorHelmValues {
  instanceId: string;
  watchedNamespaces: string[];
  createWatchedNamespaces: boolean;
  vvpUrl: string;
  name: string;
  image: { repository: string; tag: string; pullPolicy: 'Always' | 'IfNotPresent' | 'Never' };
  replicas: number;
  leaderElection: { enabled: boolean };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  webhook: {
    certSecretName: string;
    timeoutSeconds: number;
    certManager: { enabled: boolean; issuerName: string; issuerKind: 'Issuer' | 'ClusterIssuer' };
    caBundle: string;
  };
}

const TOKENS: Record<string, HelmToken> = {
  zzinstanceidzz: { expr: '$.Values.instanceId' },
  zznamespacezz: { expr: '$.Release.Namespace' },
  zznamezz: { expr: '$.Values.name' },
  zzvvpurlzz: { expr: '$.Values.vvpUrl' },
  zzimagezz: {
    expr: 'printf "%s:%s" $.Values.image.repository (toString (default $.Chart.AppVersion $.Values.image.tag))',
  },
  zzpullpolicyzz: { expr: '$.Values.image.pullPolicy' },
  zzwatchednszz: {
    expr: 'join "," $.Values.watchedNamespaces',
    rangeVar: '$ns',
    rangeExpr: '$.Values.watchedNamespaces',
  },
  zzcertsecretzz: { expr: '$.Values.webhook.certSecretName' },
  zzissuernamezz: { expr: '$.Values.webhook.certManager.issuerName' },
  zzissuerkindzz: { expr: '$.Values.webhook.certManager.issuerKind' },
  zzcabundlezz: { expr: '$.Values.webhook.caBundle' },
  zzreplicaszz: { expr: 'int $.Values.replicas', type: 'number' },
  zztimeoutzz: { expr: 'int $.Values.webhook.timeoutSeconds', type: 'number' },
  zzresourceszz: { expr: '$.Values.resources', block: true },
};

const DIMENSIONS: HelmDimension[] = [
  { name: 'leaderElection', expr: '$.Values.leaderElection.enabled' },
  { name: 'createWatchedNamespaces', expr: '$.Values.createWatchedNamespaces' },
  { name: 'certManager', expr: '$.Values.webhook.certManager.enabled' },
  { name: 'issuer', expr: '$.Values.webhook.certManager.issuerName' },
];

/**
 * The construct's properties for given values, release namespace and chart appVersion (the default image tag):
 * what `helm template` must equal (tests/e2e/helm-chart.test.ts).
 */
export function operatorPropsForValues(
  values: VvpOperatorHelmValues,
  namespace: string,
  appVersion: string,
): VvpOperatorProps {
  const cm = values.webhook.certManager;
  return {
    instanceId: values.instanceId,
    watchedNamespaces: values.watchedNamespaces,
    createWatchedNamespaces: values.createWatchedNamespaces,
    vvpUrl: values.vvpUrl,
    image: `${values.image.repository}:${values.image.tag || appVersion}`,
    imagePullPolicy: values.image.pullPolicy,
    namespace,
    name: values.name,
    createNamespace: false,
    includeCrd: false,
    leaderElection: values.leaderElection.enabled,
    replicas: values.replicas,
    resources: values.resources,
    webhookCertSecretName: values.webhook.certSecretName,
    webhookTimeoutSeconds: values.webhook.timeoutSeconds,
    ...(cm.enabled
      ? { certManager: cm.issuerName ? { issuerName: cm.issuerName, issuerKind: cm.issuerKind } : {} }
      : { caBundle: values.webhook.caBundle }),
  };
}

/** The default values, taken from the construct's defaults where it has them. */
export function defaultHelmValues(): VvpOperatorHelmValues {
  const probe = Testing.synth(
    new VvpOperator(Testing.app(), 'defaults', {
      instanceId: 'x',
      watchedNamespaces: ['x'],
      vvpUrl: 'x',
      image: 'x',
      includeCrd: false,
    }),
  );
  const deployment = probe.find((o) => o.kind === 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const webhook = probe.find((o) => o.kind === 'ValidatingWebhookConfiguration');
  return {
    instanceId: 'vvp-operator',
    watchedNamespaces: ['vvp-jobs'],
    createWatchedNamespaces: false,
    vvpUrl: 'http://vvp-ververica-platform.vvp.svc:8080',
    name: deployment.metadata.name,
    image: { repository: 'ghcr.io/vvp-iac/vvp-operator', tag: '', pullPolicy: container.imagePullPolicy },
    replicas: deployment.spec.replicas,
    leaderElection: { enabled: false },
    resources: container.resources,
    webhook: {
      certSecretName: deployment.spec.template.spec.volumes[0].secret.secretName,
      timeoutSeconds: webhook.webhooks[0].timeoutSeconds,
      certManager: { enabled: true, issuerName: '', issuerKind: 'Issuer' },
      caBundle: '',
    },
  };
}

function variants(): HelmVariant[] {
  const out: HelmVariant[] = [];
  for (const leaderElection of [true, false]) {
    for (const createWatchedNamespaces of [true, false]) {
      for (const [certManager, issuer] of [
        [true, false],
        [true, true],
        [false, false],
      ]) {
        const props: VvpOperatorProps = {
          instanceId: 'zzinstanceidzz',
          watchedNamespaces: ['zzwatchednszz'],
          createWatchedNamespaces,
          vvpUrl: 'zzvvpurlzz',
          image: 'zzimagezz',
          imagePullPolicy: 'zzpullpolicyzz' as VvpOperatorProps['imagePullPolicy'],
          namespace: 'zznamespacezz',
          name: 'zznamezz',
          createNamespace: false,
          includeCrd: false,
          leaderElection,
          replicas: 'zzreplicaszz' as unknown as number,
          webhookCertSecretName: 'zzcertsecretzz',
          webhookTimeoutSeconds: 'zztimeoutzz' as unknown as number,
          ...(certManager
            ? {
                certManager: issuer ? { issuerName: 'zzissuernamezz', issuerKind: 'zzissuerkindzz' as 'Issuer' } : {},
              }
            : { caBundle: 'zzcabundlezz' }),
        };
        const objects = Testing.synth(new VvpOperator(Testing.app(), 'operator', props));
        // The container's resources are one value (a block), not the construct's merge of defaults.
        for (const o of objects) {
          if (o.kind === 'Deployment') o.spec.template.spec.containers[0].resources = 'zzresourceszz';
        }
        out.push({ assignment: { leaderElection, createWatchedNamespaces, certManager, issuer }, objects });
      }
    }
  }
  return out;
}

const GUARD = `{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicas > 1 needs leaderElection.enabled=true: two operators without a Lease would overlap" }}
{{- end }}
{{- if and (not .Values.webhook.certManager.enabled) (not .Values.webhook.caBundle) }}
{{- fail "webhook.caBundle is empty: without cert-manager (webhook.certManager.enabled=false) set the base64 PEM CA that signed the Secret webhook.certSecretName" }}
{{- end }}
`;

/** The chart's files, keyed by path relative to the chart directory. */
export function renderVvpOperatorHelmChart(packageVersion: string): Record<string, string> {
  const header = '# Generated by scripts/synth-deploy.js from the VvpOperator cdk8s construct. Do not edit.\n';
  const templates = helmTemplates({
    tokens: TOKENS,
    dimensions: DIMENSIONS,
    variants: variants(),
    rangeGuards: { Namespace: 'ne $ns $.Release.Namespace' },
  });
  const files: Record<string, string> = {
    'Chart.yaml':
      header +
      YAML.stringify({
        apiVersion: 'v2',
        name: 'vvp-operator',
        description: 'The vvp-iac operator: reconciles VvpDeployment custom resources into Ververica Platform',
        type: 'application',
        version: packageVersion,
        appVersion: packageVersion,
        kubeVersion: '>=1.28.0-0', // the webhook's matchConditions (beta and on by default in 1.28, GA in 1.30)
      }),
    'values.yaml': header + valuesYaml(defaultHelmValues()),
    'values.schema.json': `${JSON.stringify(valuesSchema(), null, 2)}\n`,
    'crds/vvpdeployments.yaml': YAML.stringify(loadCrd(), { lineWidth: 0 }),
    'templates/validate.yaml': `{{- /* Value combinations values.schema.json cannot reject. */ -}}\n${GUARD}`,
  };
  for (const [file, body] of Object.entries(templates)) files[`templates/${file}`] = header + body;
  return files;
}

function valuesYaml(values: VvpOperatorHelmValues): string {
  const doc = new YAML.Document(values);
  const comment = (path: string[], text: string) => {
    const node = doc.getIn(path, true) as YAML.Scalar | YAML.YAMLMap | undefined;
    const pair = (doc.getIn(path.slice(0, -1), true) as YAML.YAMLMap).items.find(
      (p) => (p.key as YAML.Scalar).value === path[path.length - 1],
    );
    if (pair && node) (pair.key as YAML.Scalar).commentBefore = ` ${text}`;
  };
  comment(['instanceId'], 'Operator instance id: CRs labelled ververica.platform/owner=<instanceId> are reconciled.');
  comment(['watchedNamespaces'], 'Namespaces whose CRs this instance reconciles (RoleBindings are created there).');
  comment(['createWatchedNamespaces'], 'Also create the watched namespaces (other than the release namespace).');
  comment(['vvpUrl'], 'Base URL of the Ververica Platform REST API.');
  comment(['name'], 'Base name of the ServiceAccount, Deployment, Service and roles.');
  comment(['image'], 'Operator image; tag defaults to the chart appVersion.');
  comment(['replicas'], 'Operator pods; more than 1 needs leaderElection.enabled.');
  comment(['leaderElection'], 'Leader election through a Lease in the release namespace.');
  comment(['resources'], 'Container resources.');
  comment(['webhook'], 'Validating webhook: serving certificate from cert-manager, or a provided Secret + caBundle.');
  return doc.toString({ lineWidth: 0 });
}

function valuesSchema(): Record<string, unknown> {
  const str = (extra: Record<string, unknown> = {}) => ({ type: 'string', ...extra });
  const quantities = { type: 'object', additionalProperties: { type: ['string', 'number'] } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['instanceId', 'watchedNamespaces', 'vvpUrl', 'image'],
    properties: {
      instanceId: str({ minLength: 1, maxLength: 63, pattern: '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$' }),
      watchedNamespaces: {
        type: 'array',
        minItems: 1,
        items: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
      },
      createWatchedNamespaces: { type: 'boolean' },
      vvpUrl: str({ minLength: 1, pattern: '^https?://' }),
      name: str({ minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
      image: {
        type: 'object',
        required: ['repository'],
        properties: {
          repository: str({ minLength: 1 }),
          tag: str(),
          pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
        },
      },
      replicas: { type: 'integer', minimum: 1 },
      leaderElection: { type: 'object', properties: { enabled: { type: 'boolean' } } },
      resources: { type: 'object', properties: { requests: quantities, limits: quantities } },
      webhook: {
        type: 'object',
        properties: {
          certSecretName: str({ minLength: 1 }),
          timeoutSeconds: { type: 'integer', minimum: 1, maximum: 30 },
          certManager: {
            type: 'object',
            properties: {
              enabled: { type: 'boolean' },
              issuerName: str(),
              issuerKind: { enum: ['Issuer', 'ClusterIssuer'] },
            },
          },
          caBundle: str(),
        },
      },
    },
  };
}
