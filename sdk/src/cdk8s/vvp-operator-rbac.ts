/** The operator's identity and least-privilege RBAC (rules once in a ClusterRole, bound per watched namespace). */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { CUSTOM_RESOURCE } from '../../../core/src/index';

/** What the RBAC objects are made from. */
export interface OperatorRbacOptions {
  name: string;
  ns: string;
  labels: Record<string, string>;
  instanceId: string;
  watchedNamespaces: readonly string[];
  leaderElection: boolean;
}

/** Emits the ServiceAccount, the ClusterRole, its RoleBindings and (with leader election) the Lease role; returns the ClusterRole. */
export function addOperatorRbac(scope: Construct, options: OperatorRbacOptions): ApiObject {
  const { name, ns, labels, instanceId, watchedNamespaces, leaderElection } = options;
  new ApiObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns, labels },
  });

  // The rules live once in a ClusterRole and are granted only inside the watched namespaces (RoleBindings).
  const clusterRole = new ApiObject(scope, 'ClusterRole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: `${name}-${instanceId}`, labels },
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
  for (const watched of watchedNamespaces) {
    new ApiObject(scope, `RoleBinding-${watched}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-${instanceId}`, namespace: watched, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-${instanceId}` },
      subjects: [subject],
    });
  }
  if (leaderElection) {
    new ApiObject(scope, 'LeaderElectionRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${name}-leader-election`, namespace: ns, labels },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
    });
    new ApiObject(scope, 'LeaderElectionRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-leader-election`, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-leader-election` },
      subjects: [subject],
    });
  }
  return clusterRole;
}
