/** The VVP namespace objects besides deployments, as VVP returns them (docs/adr/0104-platform-resources.md). */
import type { VvpSavepoint } from './deployment';
import type { SessionClusterState } from './generated';

type Json = Record<string, unknown>;

/** What every VVP object carries in `metadata`. */
export interface VvpObjectMetadata {
  id?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  createdAt?: string;
  modifiedAt?: string;
  resourceVersion?: number;
}

/** `/api/v1/namespaces/{ns}/deployment-targets/{name}`; the spec is immutable. */
export interface VvpDeploymentTarget {
  apiVersion?: string;
  kind?: 'DeploymentTarget';
  metadata: VvpObjectMetadata;
  spec: { kubernetes?: { namespace?: string }; deploymentPatchSet?: unknown[] } & Json;
}

/** The spec of a session cluster. */
export interface SessionClusterSpec extends Json {
  state?: SessionClusterState;
  deploymentTargetName?: string;
  flinkVersion?: string;
  flinkImageRegistry?: string;
  flinkImageRepository?: string;
  flinkImageTag?: string;
  /** VVP 3 only. */
  engineVersionName?: string;
  numberOfTaskManagers?: number;
  resources?: Json;
  flinkConfiguration?: Record<string, string>;
  logging?: Json;
  kubernetes?: Json;
}

/** `/api/v1/namespaces/{ns}/sessionclusters/{name}`. */
export interface VvpSessionCluster {
  apiVersion?: string;
  kind?: 'SessionCluster';
  metadata: VvpObjectMetadata;
  spec: SessionClusterSpec;
  status?: {
    state?: 'STOPPED' | 'STARTING' | 'RUNNING' | 'UPDATING' | 'STOPPING' | 'FAILED';
    failure?: { message?: string; reason?: string };
    running?: { startedAt?: string; lastUpdateTime?: string };
  };
}

/** `/api/v1/namespaces/{ns}/secret-values/{name}`: VVP never returns `spec.value`. */
export interface VvpSecretValue {
  apiVersion?: string;
  kind?: 'SecretValue';
  metadata: VvpObjectMetadata;
  spec: { kind?: string };
}

/** `/api/v1/namespaces/{ns}/deployment-defaults`. */
export interface VvpDeploymentDefaults {
  apiVersion?: string;
  kind?: 'DeploymentDefaults';
  metadata?: VvpObjectMetadata;
  spec?: Json;
}

/** The annotation VVP requires on a registered savepoint: the deployment's spec version. */
export const SPEC_VERSION_ANNOTATION = 'com.dataartisans.appmanager.controller.deployment.spec.version';

export type { VvpSavepoint };
