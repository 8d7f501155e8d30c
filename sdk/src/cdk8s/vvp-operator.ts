/**
 * VvpOperator: a cdk8s Chart with everything needed to run the vvp-iac operator in a cluster: the CRD, namespace,
 * service account, least-privilege RBAC, Deployment, Service, certificate wiring and the validating webhook.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { loadCrd } from './crd';
import { CERT_MOUNT_PATH, checkProps, type VvpOperatorProps } from './vvp-operator-props';
import { addOperatorRbac } from './vvp-operator-rbac';
import { operatorArgs, operatorEnv, operatorSettings } from './vvp-operator-settings';
import { addOperatorWebhook } from './vvp-operator-webhook';

export {
  CERT_MOUNT_PATH,
  OPERATOR_ENV_PREFIX,
  type CertManagerOptions,
  type OperatorConfigStyle,
  type OperatorResources,
  type VvpOperatorProps,
  type WebhookUrlClientConfig,
} from './vvp-operator-props';
export { VALIDATE_PATH } from './vvp-operator-webhook';
export { loadCrd } from './crd';

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

    this.clusterRole = addOperatorRbac(this, {
      name,
      ns,
      labels,
      instanceId: props.instanceId,
      watchedNamespaces: props.watchedNamespaces,
      leaderElection,
    });

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

    this.webhook = addOperatorWebhook(this, props, { name, ns, labels, certSecret });
  }
}

function namespaceObject(scope: Construct, id: string, name: string): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
