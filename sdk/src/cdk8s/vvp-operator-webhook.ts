/** The webhook's certificate wiring (cert-manager or a given CA bundle) and its ValidatingWebhookConfiguration. */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { CUSTOM_RESOURCE, OWNER_LABEL, WEBHOOK_MATCH_CONDITIONS, WEBHOOK_PATH } from '../../../core/src/index';
import type { VvpOperatorProps } from './vvp-operator-props';

/** Path of the operator's admission webhook (docs/operator.md); it rejects CRs without the owner label too. */
export const VALIDATE_PATH = WEBHOOK_PATH;

/** Emits the cert-manager objects (when asked) and the ValidatingWebhookConfiguration with its two entries. */
export function addOperatorWebhook(
  scope: Construct,
  props: VvpOperatorProps,
  names: { name: string; ns: string; labels: Record<string, string>; certSecret: string },
): ApiObject {
  const { name, ns, labels, certSecret } = names;
  let injectCaFrom = props.injectCaFrom;
  if (props.certManager) {
    const certName = `${name}-webhook`;
    let issuer = { name: props.certManager.issuerName, kind: props.certManager.issuerKind ?? 'Issuer' };
    if (issuer.name === undefined) {
      issuer = { name: `${name}-selfsigned`, kind: 'Issuer' };
      new ApiObject(scope, 'Issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: issuer.name, namespace: ns, labels },
        spec: { selfSigned: {} },
      });
    }
    new ApiObject(scope, 'Certificate', {
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

  return new ApiObject(
    scope,
    'ValidatingWebhook',
    webhookConfigurationManifest(props, { name, ns, labels }, injectCaFrom),
  );
}

/**
 * The ValidatingWebhookConfiguration with its two entries, as plain JSON: emitted by the VvpOperator chart, and
 * registered as it is by the e2e harness (tests/e2e/operator-env.ts), so the tests run the shipped registration.
 */
export function webhookConfigurationManifest(
  props: Pick<VvpOperatorProps, 'instanceId' | 'caBundle' | 'webhookClientConfig' | 'webhookTimeoutSeconds'>,
  names: { name: string; ns: string; labels?: Record<string, string> },
  injectCaFrom?: string,
): { apiVersion: string; kind: string; metadata: Record<string, unknown>; webhooks: Record<string, unknown>[] } {
  const { name, ns, labels } = names;
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
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: `${name}-${props.instanceId}`,
      ...(labels !== undefined ? { labels } : {}),
      ...(injectCaFrom !== undefined ? { annotations: { 'cert-manager.io/inject-ca-from': injectCaFrom } } : {}),
    },
    webhooks: [
      {
        // Full validation of this instance's CRs, including the DELETE guard.
        name: `validate.${CUSTOM_RESOURCE.plural}.${CUSTOM_RESOURCE.group}`,
        clientConfig: clientConfig(VALIDATE_PATH),
        rules: rules(['CREATE', 'UPDATE', 'DELETE']),
        objectSelector: { matchLabels: { [OWNER_LABEL]: props.instanceId } },
        // the operator's own finalizer writes (and other metadata-only updates) skip the call: allowed anyway
        matchConditions: WEBHOOK_MATCH_CONDITIONS.map((c) => ({ ...c })),
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
  };
}
