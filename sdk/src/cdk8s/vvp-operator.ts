/**
 * VvpOperator: a cdk8s Chart with everything needed to run the vvp-iac operator in a cluster: the CRD, namespace,
 * service account, least-privilege RBAC, Deployment, Service, certificate wiring and the validating webhook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, type ApiObjectProps, Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import {
  CUSTOM_RESOURCE,
  instanceIdProblem,
  operatorEnvName,
  operatorFlagName,
  OWNER_LABEL,
  WEBHOOK_PATH,
} from '../../../core/src/index';

/** How the operator container receives its configuration. */
export type OperatorConfigStyle = 'args' | 'env';

/** Prefix of the environment variables that configure the operator. */
export { OPERATOR_ENV_PREFIX } from '../../../core/src/index';

/** Where the webhook certificate Secret is mounted in the operator container. */
export const CERT_MOUNT_PATH = '/certs';

/** How the API server reaches the webhook when it does not call the in-cluster Service. */
export interface WebhookUrlClientConfig {
  /** Base URL of the webhook server, e.g. `https://127.0.0.1:9443` (paths are appended). */
  readonly url: string;
}

/** cert-manager wiring of the webhook certificate. */
export interface CertManagerOptions {
  /** Issuer that signs the certificate. @default a self-signed Issuer emitted by the chart */
  readonly issuerName?: string;
  /** Kind of `issuerName`. @default Issuer */
  readonly issuerKind?: 'Issuer' | 'ClusterIssuer';
}

/** Container resources of the operator pod. */
export interface OperatorResources {
  /** Requested cpu and memory. @default { cpu: '100m', memory: '128Mi' } */
  readonly requests?: { cpu?: string; memory?: string };
  /** Limits. @default { memory: '256Mi' } */
  readonly limits?: { cpu?: string; memory?: string };
}

/** Configuration of one operator instance. */
export interface VvpOperatorProps extends Omit<ChartProps, 'namespace'> {
  /** Identity of this operator instance; CRs must carry the label `ververica.platform/owner=<instanceId>`. */
  readonly instanceId: string;
  /** Kubernetes namespaces whose CRs this instance reconciles (and where it is granted access). */
  readonly watchedNamespaces: string[];
  /** Base URL of the Ververica Platform REST API, e.g. `http://vvp.vvp.svc:8080`. */
  readonly vvpUrl: string;
  /** Container image of the operator. */
  readonly image: string;
  /** Namespace the operator runs in. @default vvp-operator */
  readonly namespace?: string;
  /** Base name of the operator's objects (ServiceAccount, Deployment, Service, roles). @default vvp-operator */
  readonly name?: string;
  /** Emit the operator namespace. @default true */
  readonly createNamespace?: boolean;
  /** Emit the watched namespaces too (they must exist before the operator starts). @default false */
  readonly createWatchedNamespaces?: boolean;
  /** Emit the VvpDeployment CRD. @default true */
  readonly includeCrd?: boolean;
  /** Pass configuration as command-line arguments or as `VVP_OPERATOR_*` environment variables. @default args */
  readonly configStyle?: OperatorConfigStyle;
  /** Run with leader election (a Lease in the operator namespace); allows more than one replica. @default false */
  readonly leaderElection?: boolean;
  /** Number of operator pods. @default 1 (2 with leaderElection) */
  readonly replicas?: number;
  /** Port of the webhook HTTPS server in the pod. @default 9443 */
  readonly webhookPort?: number;
  /** Port of the metrics (and health) HTTP server in the pod. @default 8080 */
  readonly metricsPort?: number;
  /** Secret (type kubernetes.io/tls, keys tls.crt and tls.key) with the webhook serving certificate. @default <name>-webhook-tls */
  readonly webhookCertSecretName?: string;
  /** Emit a cert-manager Certificate for the webhook Service and let cert-manager inject its CA. @default none */
  readonly certManager?: CertManagerOptions;
  /** `cert-manager.io/inject-ca-from` value (`<namespace>/<certificate>`) for a Certificate managed elsewhere. @default none */
  readonly injectCaFrom?: string;
  /** Base64 PEM CA bundle that signed the webhook certificate. @default none (cert-manager injects it) */
  readonly caBundle?: string;
  /** Let the API server call the webhook at a URL instead of the in-cluster Service (out-of-cluster operators). @default the Service */
  readonly webhookClientConfig?: WebhookUrlClientConfig;
  /** Seconds the API server waits for the webhook (the DELETE check asks VVP live, 3 s). @default 10 */
  readonly webhookTimeoutSeconds?: number;
  /** Image pull policy. @default IfNotPresent */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Container resources. @default requests 100m/128Mi, limit 256Mi memory */
  readonly resources?: OperatorResources;
  /** Extra command-line arguments appended to the generated ones. @default none */
  readonly extraArgs?: string[];
}

/** Path of the operator's admission webhook (docs/operator.md); it rejects CRs without the owner label too. */
export const VALIDATE_PATH = WEBHOOK_PATH;

/** Everything needed to run one vvp-iac operator instance, as one chart. */
export class VvpOperator extends Chart {
  /** instanceId of this operator; pass it to each VvpDeployment. */
  readonly instanceId: string;
  /** Namespace the operator runs in. */
  readonly operatorNamespace: string;
  /** Namespaces the operator reconciles. */
  readonly watchedNamespaces: readonly string[];
  /** Base name of the operator's objects. */
  readonly operatorName: string;
  /** The CRD, when emitted. */
  readonly crd: ApiObject | undefined;
  /** The operator Deployment. */
  readonly deployment: ApiObject;
  /** The webhook Service. */
  readonly service: ApiObject;
  /** The ValidatingWebhookConfiguration. */
  readonly webhook: ApiObject;
  /** The ClusterRole holding the per-namespace rules (bound only in watched namespaces). */
  readonly clusterRole: ApiObject;

  constructor(scope: Construct, id: string, props: VvpOperatorProps) {
    // No chart namespace: cluster-scoped objects (CRD, webhook, ClusterRole) must not get one.
    super(scope, id, { labels: props.labels, disableResourceNameHashes: props.disableResourceNameHashes });
    checkProps(id, props);
    const ns = props.namespace ?? 'vvp-operator';
    const name = props.name ?? 'vvp-operator';
    const labels = { 'app.kubernetes.io/name': 'vvp-operator', 'app.kubernetes.io/instance': props.instanceId };
    const webhookPort = props.webhookPort ?? 9443;
    const metricsPort = props.metricsPort ?? 8080;
    const certSecret = props.webhookCertSecretName ?? `${name}-webhook-tls`;
    const leaderElection = props.leaderElection ?? false;
    this.instanceId = props.instanceId;
    this.operatorNamespace = ns;
    this.watchedNamespaces = [...props.watchedNamespaces];
    this.operatorName = name;

    if (props.createNamespace ?? true) namespaceObject(this, 'Namespace', ns);
    if (props.createWatchedNamespaces) {
      for (const watched of props.watchedNamespaces.filter((n) => n !== ns))
        namespaceObject(this, `Watched-${watched}`, watched);
    }
    this.crd = (props.includeCrd ?? true) ? new ApiObject(this, 'Crd', loadCrd()) : undefined;

    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: ns, labels },
    });

    // The rules live once in a ClusterRole and are granted only inside the watched namespaces (RoleBindings).
    this.clusterRole = new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${name}-${props.instanceId}`, labels },
      rules: [
        {
          apiGroups: [CUSTOM_RESOURCE.group],
          resources: [CUSTOM_RESOURCE.plural],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        {
          apiGroups: [CUSTOM_RESOURCE.group],
          resources: [`${CUSTOM_RESOURCE.plural}/status`],
          verbs: ['get', 'update', 'patch'],
        },
        { apiGroups: [CUSTOM_RESOURCE.group], resources: [`${CUSTOM_RESOURCE.plural}/finalizers`], verbs: ['update'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    });
    const subject = { kind: 'ServiceAccount', name, namespace: ns };
    for (const watched of props.watchedNamespaces) {
      new ApiObject(this, `RoleBinding-${watched}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${name}-${props.instanceId}`, namespace: watched, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-${props.instanceId}` },
        subjects: [subject],
      });
    }
    if (leaderElection) {
      new ApiObject(this, 'LeaderElectionRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `${name}-leader-election`, namespace: ns, labels },
        rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
      });
      new ApiObject(this, 'LeaderElectionRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${name}-leader-election`, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-leader-election` },
        subjects: [subject],
      });
    }

    const settings = operatorSettings(props, { webhookPort, metricsPort, leaderElection });
    // The Lease lives in the pod's namespace and names the pod (the operator reads POD_NAMESPACE and POD_NAME).
    const podEnv = [
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    const config =
      (props.configStyle ?? 'args') === 'args'
        ? { args: [...operatorArgs(settings), ...(props.extraArgs ?? [])], env: podEnv }
        : {
            env: [...operatorEnv(settings), ...podEnv],
            ...(props.extraArgs?.length ? { args: [...props.extraArgs] } : {}),
          };
    const replicas = props.replicas ?? (leaderElection ? 2 : 1);
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas,
        // Without leader election two operators must never overlap.
        strategy: leaderElection ? { type: 'RollingUpdate' } : { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'operator',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                ...config,
                ports: [
                  { name: 'webhook', containerPort: webhookPort, protocol: 'TCP' },
                  { name: 'metrics', containerPort: metricsPort, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 10 },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'metrics' },
                  periodSeconds: 20,
                  failureThreshold: 3,
                },
                resources: {
                  requests: { cpu: '100m', memory: '128Mi', ...props.resources?.requests },
                  limits: { memory: '256Mi', ...props.resources?.limits },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'webhook-cert', mountPath: CERT_MOUNT_PATH, readOnly: true }],
              },
            ],
            volumes: [{ name: 'webhook-cert', secret: { secretName: certSecret } }],
          },
        },
      },
    });

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'webhook', port: 443, targetPort: 'webhook', protocol: 'TCP' },
          { name: 'metrics', port: metricsPort, targetPort: 'metrics', protocol: 'TCP' },
        ],
      },
    });

    let injectCaFrom = props.injectCaFrom;
    if (props.certManager) {
      const certName = `${name}-webhook`;
      let issuer = { name: props.certManager.issuerName, kind: props.certManager.issuerKind ?? 'Issuer' };
      if (issuer.name === undefined) {
        issuer = { name: `${name}-selfsigned`, kind: 'Issuer' };
        new ApiObject(this, 'Issuer', {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Issuer',
          metadata: { name: issuer.name, namespace: ns, labels },
          spec: { selfSigned: {} },
        });
      }
      new ApiObject(this, 'Certificate', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: certName, namespace: ns, labels },
        spec: {
          secretName: certSecret,
          dnsNames: [`${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`],
          issuerRef: { name: issuer.name, kind: issuer.kind, group: 'cert-manager.io' },
        },
      });
      injectCaFrom ??= `${ns}/${certName}`;
    }

    const clientConfig = (webhookPath: string) => ({
      ...(props.webhookClientConfig
        ? { url: `${props.webhookClientConfig.url.replace(/\/+$/, '')}${webhookPath}` }
        : { service: { name, namespace: ns, path: webhookPath, port: 443 } }),
      ...(props.caBundle !== undefined ? { caBundle: props.caBundle } : {}),
    });
    const rules = (operations: string[]) => [
      {
        apiGroups: [CUSTOM_RESOURCE.group],
        apiVersions: [CUSTOM_RESOURCE.version],
        operations,
        resources: [CUSTOM_RESOURCE.plural],
        scope: 'Namespaced',
      },
    ];
    const common = {
      // No namespaceSelector: a CR created outside the watched namespaces gets the webhook's clear rejection
      // instead of being silently ignored.
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: props.webhookTimeoutSeconds ?? 10,
    };
    this.webhook = new ApiObject(this, 'ValidatingWebhook', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name: `${name}-${props.instanceId}`,
        labels,
        ...(injectCaFrom !== undefined ? { annotations: { 'cert-manager.io/inject-ca-from': injectCaFrom } } : {}),
      },
      webhooks: [
        {
          // Full validation of this instance's CRs, including the DELETE guard.
          name: `validate.${CUSTOM_RESOURCE.plural}.${CUSTOM_RESOURCE.group}`,
          clientConfig: clientConfig(VALIDATE_PATH),
          rules: rules(['CREATE', 'UPDATE', 'DELETE']),
          objectSelector: { matchLabels: { [OWNER_LABEL]: props.instanceId } },
          ...common,
        },
        {
          // Rejects CRs without an owner label; their DELETE is always allowed, so it is not routed here.
          name: `owner-required.${CUSTOM_RESOURCE.plural}.${CUSTOM_RESOURCE.group}`,
          clientConfig: clientConfig(VALIDATE_PATH),
          rules: rules(['CREATE', 'UPDATE']),
          objectSelector: { matchExpressions: [{ key: OWNER_LABEL, operator: 'DoesNotExist' }] },
          ...common,
        },
      ],
    });
  }
}

/** The operator's settings, before they become arguments or environment variables. */
interface OperatorSettings {
  instanceId: string;
  watchedNamespaces: string;
  vvpUrl: string;
  webhookPort: number;
  webhookCert: string;
  webhookKey: string;
  metricsPort: number;
  leaderElection: boolean;
}

function operatorSettings(
  props: VvpOperatorProps,
  ports: { webhookPort: number; metricsPort: number; leaderElection: boolean },
): OperatorSettings {
  return {
    instanceId: props.instanceId,
    watchedNamespaces: props.watchedNamespaces.join(','),
    vvpUrl: props.vvpUrl,
    webhookPort: ports.webhookPort,
    webhookCert: `${CERT_MOUNT_PATH}/tls.crt`,
    webhookKey: `${CERT_MOUNT_PATH}/tls.key`,
    metricsPort: ports.metricsPort,
    leaderElection: ports.leaderElection,
  };
}

/** `--kebab-case` flag of a setting. */
function flagOf(key: keyof OperatorSettings): string {
  return `--${operatorFlagName(key)}`;
}

/** `VVP_OPERATOR_SNAKE_CASE` variable of a setting. */
function envOf(key: keyof OperatorSettings): string {
  return operatorEnvName(operatorFlagName(key));
}

/** The operator's command-line arguments for the given settings. */
function operatorArgs(settings: OperatorSettings): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(settings) as [keyof OperatorSettings, string | number | boolean][]) {
    if (typeof value === 'boolean') {
      if (value) args.push(flagOf(key));
    } else args.push(flagOf(key), String(value));
  }
  return args;
}

/** The operator's environment variables for the given settings. */
function operatorEnv(settings: OperatorSettings): { name: string; value: string }[] {
  return (Object.entries(settings) as [keyof OperatorSettings, string | number | boolean][]).map(([key, value]) => ({
    name: envOf(key),
    value: String(value),
  }));
}

function namespaceObject(scope: Construct, id: string, name: string): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

function checkProps(id: string, props: VvpOperatorProps): void {
  const problems: string[] = [];
  const instanceId = instanceIdProblem('`instanceId`', props.instanceId);
  if (instanceId) problems.push(instanceId);
  if (props.watchedNamespaces.length === 0)
    problems.push('`watchedNamespaces` is empty; name at least one namespace to reconcile');
  if (!props.vvpUrl) problems.push('`vvpUrl` is empty; set the Ververica Platform base URL');
  if (!props.image) problems.push('`image` is empty; set the operator container image');
  if (props.certManager && props.injectCaFrom !== undefined)
    problems.push('`certManager` and `injectCaFrom` are both set; keep one');
  if (problems.length) throw new Error(`VvpOperator ${id}: ${problems.join('; ')}`);
}

let crdCache: ApiObjectProps | undefined;

/** The VvpDeployment CRD generated from schema.json (crds/vvpdeployments.yaml of this package). */
export function loadCrd(): ApiObjectProps {
  crdCache ??= YAML.parse(fs.readFileSync(crdPath(), 'utf8')) as ApiObjectProps;
  return structuredClone(crdCache);
}

/** Finds crds/vvpdeployments.yaml from both sdk/src/cdk8s (ts) and dist/sdk/src/cdk8s (compiled). */
function crdPath(): string {
  for (let dir = __dirname; ;) {
    const candidate = path.join(dir, 'crds', 'vvpdeployments.yaml');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`crds/vvpdeployments.yaml not found above ${__dirname}; the vvp-iac package is incomplete`);
    dir = parent;
  }
}
