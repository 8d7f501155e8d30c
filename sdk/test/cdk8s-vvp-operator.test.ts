import { Testing } from 'cdk8s';
import { VvpOperator, type VvpOperatorProps } from '../src/cdk8s/index';

const base: VvpOperatorProps = {
  instanceId: 'op-1',
  watchedNamespaces: ['team-a', 'team-b'],
  vvpUrl: 'http://vvp.vvp.svc:8080',
  image: 'registry.example/vvp-operator:1.0.0',
};

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [k: string]: any;
};

function synth(props: Partial<VvpOperatorProps> = {}): K8sObject[] {
  return Testing.synth(new VvpOperator(Testing.app(), 'operator', { ...base, ...props }));
}

const find = (objs: K8sObject[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const one = (objs: K8sObject[], kind: string, name?: string) => {
  const found = find(objs, kind, name);
  expect(found).toHaveLength(1);
  return found[0];
};
const container = (objs: K8sObject[]) => one(objs, 'Deployment').spec.template.spec.containers[0];

describe('VvpOperator chart: what it emits', () => {
  it('emits the CRD, namespace, service account, RBAC, deployment, service and webhook', () => {
    const objs = synth();
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//vvp-operator',
      'CustomResourceDefinition//vvpdeployments.ververica.platform',
      'ServiceAccount/vvp-operator/vvp-operator',
      'ClusterRole//vvp-operator-op-1',
      'RoleBinding/team-a/vvp-operator-op-1',
      'RoleBinding/team-b/vvp-operator-op-1',
      'Deployment/vvp-operator/vvp-operator',
      'Service/vvp-operator/vvp-operator',
      'ValidatingWebhookConfiguration//vvp-operator-op-1',
    ]);
  });

  it('the CRD is the one generated from schema.json', () => {
    const crd = one(synth(), 'CustomResourceDefinition');
    expect(crd.spec.names).toMatchObject({ kind: 'VvpDeployment', plural: 'vvpdeployments', shortNames: ['vvpd'] });
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.required).toEqual(['syncingMode', 'deployment']);
  });

  it('cluster-scoped objects carry no namespace', () => {
    for (const o of synth()) {
      if (['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ValidatingWebhookConfiguration'].includes(o.kind)) {
        expect(o.metadata.namespace).toBeUndefined();
      }
    }
  });

  it('RBAC grants exactly the least-privilege rules, bound only in the watched namespaces', () => {
    const objs = synth();
    expect(one(objs, 'ClusterRole').rules).toEqual([
      {
        apiGroups: ['ververica.platform'],
        resources: ['vvpdeployments'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      { apiGroups: ['ververica.platform'], resources: ['vvpdeployments/status'], verbs: ['get', 'update', 'patch'] },
      { apiGroups: ['ververica.platform'], resources: ['vvpdeployments/finalizers'], verbs: ['update'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
    for (const rb of find(objs, 'RoleBinding')) {
      expect(rb.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'vvp-operator-op-1',
      });
      expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vvp-operator', namespace: 'vvp-operator' }]);
    }
    expect(find(objs, 'ClusterRoleBinding')).toHaveLength(0);
    expect(find(objs, 'Role')).toHaveLength(0);
  });

  it('leader election adds a Lease role in the operator namespace, the flag, and two rolling replicas', () => {
    const objs = synth({ leaderElection: true });
    expect(one(objs, 'Role').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
    expect(one(objs, 'Role').metadata.namespace).toBe('vvp-operator');
    expect(one(objs, 'RoleBinding', 'vvp-operator-leader-election').roleRef.kind).toBe('Role');
    expect(container(objs).args).toContain('--leader-election');
    expect(one(objs, 'Deployment').spec.replicas).toBe(2);
    expect(one(objs, 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate' });
  });

  it('without leader election one replica runs and updates never overlap two operators', () => {
    const deployment = one(synth(), 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(container(synth()).args).not.toContain('--leader-election');
  });

  it('the operator container gets its configuration as arguments by default', () => {
    const c = container(synth());
    expect(c.image).toBe('registry.example/vvp-operator:1.0.0');
    expect(c.args).toEqual([
      '--instance-id',
      'op-1',
      '--watched-namespaces',
      'team-a,team-b',
      '--vvp-url',
      'http://vvp.vvp.svc:8080',
      '--webhook-port',
      '9443',
      '--webhook-cert',
      '/certs/tls.crt',
      '--webhook-key',
      '/certs/tls.key',
      '--metrics-port',
      '8080',
    ]);
    expect(c.env).toEqual([
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(c.volumeMounts).toEqual([{ name: 'webhook-cert', mountPath: '/certs', readOnly: true }]);
    expect(one(synth(), 'Deployment').spec.template.spec.volumes).toEqual([
      { name: 'webhook-cert', secret: { secretName: 'vvp-operator-webhook-tls' } },
    ]);
    expect(one(synth(), 'Deployment').spec.template.spec.serviceAccountName).toBe('vvp-operator');
  });

  it('configStyle env passes the same settings as VVP_OPERATOR_* variables', () => {
    const c = container(synth({ configStyle: 'env', leaderElection: true, webhookPort: 8443 }));
    expect(c.args).toBeUndefined();
    expect(c.env).toEqual([
      { name: 'VVP_OPERATOR_INSTANCE_ID', value: 'op-1' },
      { name: 'VVP_OPERATOR_WATCHED_NAMESPACES', value: 'team-a,team-b' },
      { name: 'VVP_OPERATOR_VVP_URL', value: 'http://vvp.vvp.svc:8080' },
      { name: 'VVP_OPERATOR_WEBHOOK_PORT', value: '8443' },
      { name: 'VVP_OPERATOR_WEBHOOK_CERT', value: '/certs/tls.crt' },
      { name: 'VVP_OPERATOR_WEBHOOK_KEY', value: '/certs/tls.key' },
      { name: 'VVP_OPERATOR_METRICS_PORT', value: '8080' },
      { name: 'VVP_OPERATOR_LEADER_ELECTION', value: 'true' },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('the service exposes the webhook on 443 and the metrics port', () => {
    const svc = one(synth(), 'Service');
    expect(svc.spec.ports).toEqual([
      { name: 'webhook', port: 443, targetPort: 'webhook', protocol: 'TCP' },
      { name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(svc.spec.selector).toEqual(one(synth(), 'Deployment').spec.selector.matchLabels);
  });
});

describe('VvpOperator chart: the validating webhook', () => {
  it('has two entries: owned CRs get full validation, CRs without an owner label are rejected', () => {
    const [owned, unowned] = one(synth(), 'ValidatingWebhookConfiguration').webhooks;
    expect(owned.objectSelector).toEqual({ matchLabels: { 'ververica.platform/owner': 'op-1' } });
    expect(owned.clientConfig).toEqual({
      service: { name: 'vvp-operator', namespace: 'vvp-operator', path: '/validate-vvpdeployment', port: 443 },
    });
    expect(unowned.objectSelector).toEqual({
      matchExpressions: [{ key: 'ververica.platform/owner', operator: 'DoesNotExist' }],
    });
    const rule = {
      apiGroups: ['ververica.platform'],
      apiVersions: ['v1'],
      resources: ['vvpdeployments'],
      scope: 'Namespaced',
    };
    expect(owned.rules).toEqual([{ ...rule, operations: ['CREATE', 'UPDATE', 'DELETE'] }]);
    // Deleting an unlabelled CR is always allowed, so DELETE is not routed to the rejecting entry.
    expect(unowned.rules).toEqual([{ ...rule, operations: ['CREATE', 'UPDATE'] }]);
    expect([owned.name, unowned.name]).toEqual([
      'validate.vvpdeployments.ververica.platform',
      'owner-required.vvpdeployments.ververica.platform',
    ]);
    for (const w of [owned, unowned]) {
      expect(w.failurePolicy).toBe('Fail');
      expect(w.sideEffects).toBe('None');
      expect(w.admissionReviewVersions).toEqual(['v1']);
      // Not scoped to the watched namespaces: the webhook itself rejects CRs created elsewhere, with a message.
      expect(w.namespaceSelector).toBeUndefined();
    }
  });

  it('an out-of-cluster operator is called at a URL with an explicit CA bundle', () => {
    const [owned] = one(
      synth({ webhookClientConfig: { url: 'https://127.0.0.1:9443/' }, caBundle: 'Q0E=' }),
      'ValidatingWebhookConfiguration',
    ).webhooks;
    expect(owned.clientConfig).toEqual({ url: 'https://127.0.0.1:9443/validate-vvpdeployment', caBundle: 'Q0E=' });
  });

  it('injectCaFrom annotates the webhook for cert-manager', () => {
    const vwc = one(synth({ injectCaFrom: 'vvp-operator/my-cert' }), 'ValidatingWebhookConfiguration');
    expect(vwc.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'vvp-operator/my-cert' });
  });

  it('certManager emits a self-signed Issuer and a Certificate for the service, and injects its CA', () => {
    const objs = synth({ certManager: {} });
    expect(one(objs, 'Issuer').spec).toEqual({ selfSigned: {} });
    const cert = one(objs, 'Certificate');
    expect(cert.spec).toEqual({
      secretName: 'vvp-operator-webhook-tls',
      dnsNames: ['vvp-operator.vvp-operator.svc', 'vvp-operator.vvp-operator.svc.cluster.local'],
      issuerRef: { name: 'vvp-operator-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
    });
    expect(one(objs, 'ValidatingWebhookConfiguration').metadata.annotations).toEqual({
      'cert-manager.io/inject-ca-from': 'vvp-operator/vvp-operator-webhook',
    });
  });

  it('certManager with a named ClusterIssuer emits no Issuer of its own', () => {
    const objs = synth({ certManager: { issuerName: 'corp-ca', issuerKind: 'ClusterIssuer' } });
    expect(find(objs, 'Issuer')).toHaveLength(0);
    expect(one(objs, 'Certificate').spec.issuerRef).toEqual({
      name: 'corp-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
  });
});

describe('VvpOperator chart: options and bad input', () => {
  it('namespace, name, watched namespaces and the CRD are configurable', () => {
    const objs = synth({
      namespace: 'ops',
      name: 'vvp-op',
      createNamespace: false,
      createWatchedNamespaces: true,
      includeCrd: false,
    });
    expect(find(objs, 'Namespace').map((n) => n.metadata.name)).toEqual(['team-a', 'team-b']);
    expect(find(objs, 'CustomResourceDefinition')).toHaveLength(0);
    expect(one(objs, 'Deployment').metadata).toMatchObject({ name: 'vvp-op', namespace: 'ops' });
  });

  it('extraArgs are appended to the generated arguments', () => {
    expect(container(synth({ extraArgs: ['--log-level', 'debug'] })).args.slice(-2)).toEqual(['--log-level', 'debug']);
  });

  it('every bad property is reported at once, naming the chart and the fix', () => {
    expect(
      () =>
        new VvpOperator(Testing.app(), 'op', { instanceId: 'bad id!', watchedNamespaces: [], vvpUrl: '', image: '' }),
    ).toThrow(
      /^VvpOperator op: `instanceId` "bad id!" is not a valid label value.*; `watchedNamespaces` is empty.*; `vvpUrl` is empty.*; `image` is empty/,
    );
  });

  it('certManager and injectCaFrom together are rejected', () => {
    expect(() => synth({ certManager: {}, injectCaFrom: 'a/b' })).toThrow(
      '`certManager` and `injectCaFrom` are both set; keep one',
    );
  });
});
