/** The configuration of the VvpOperator chart: its props and the checks they get before anything is emitted. */
import type { ChartProps } from 'cdk8s';
import { instanceIdProblem } from '../../../core/src/index';

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

/** Throws one error listing every problem of the props (the chart emits nothing for invalid props). */
export function checkProps(id: string, props: VvpOperatorProps): void {
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
