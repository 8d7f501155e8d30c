/** The operator's only view of Kubernetes: the VvpDeployment CRs, Secrets, Events and Leases it needs. */
import { isTransientStatus, VvpError } from '../../../core/src/errors';
import type { VvpDeploymentStatus } from '../../../core/src/model/generated';

/** Metadata of a CR as the operator reads it. */
export interface ResourceMetadata {
  name: string;
  namespace: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
}

/** A VvpDeployment custom resource; `spec` is unvalidated input (a malformed CR must never crash us). */
export interface VvpDeploymentResource {
  apiVersion?: string;
  kind?: string;
  metadata: ResourceMetadata;
  spec?: unknown;
  status?: VvpDeploymentStatus;
}

/** A list of CRs with the resourceVersion to start a watch from. */
export interface ResourceList {
  items: VvpDeploymentResource[];
  resourceVersion: string;
}

/** One watch notification. */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: VvpDeploymentResource }
  | { type: 'ERROR'; status: { code?: number; message?: string; reason?: string } };

/** A running watch: `done` settles when the server closes the stream (resolve) or it fails (reject). */
export interface WatchHandle {
  readonly done: Promise<void>;
  stop(): void;
}

/** A core/v1 Event about a CR. */
export interface KubeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The CR the event is about. */
  involved: { name: string; namespace: string; uid: string; resourceVersion?: string };
}

/** A coordination.k8s.io/v1 Lease. */
export interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** Everything the operator asks of the Kubernetes API. */
export interface KubeApi {
  /** Lists the CRs of one namespace. */
  listResources(namespace: string): Promise<ResourceList>;
  /** Watches the CRs of one namespace from a resourceVersion. */
  watchResources(
    namespace: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    options?: { timeoutSeconds?: number },
  ): WatchHandle;
  /** Reads one CR; undefined when it does not exist. */
  getResource(namespace: string, name: string): Promise<VvpDeploymentResource | undefined>;
  /** Replaces the CR's finalizers (optimistic: fails with 409 when resourceVersion is stale). */
  setFinalizers(resource: VvpDeploymentResource, finalizers: string[]): Promise<VvpDeploymentResource | undefined>;
  /** Merge-patches the status subresource; `null` values remove fields. */
  patchStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<VvpDeploymentResource>;
  /** Reads a Secret's data (base64 values); undefined when it does not exist. */
  getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Records an Event. */
  createEvent(event: KubeEvent): Promise<void>;
  /** Reads a Lease; undefined when it does not exist. */
  getLease(namespace: string, name: string): Promise<Lease | undefined>;
  /** Creates a Lease (409 when it exists). */
  createLease(lease: Lease): Promise<Lease>;
  /** Replaces a Lease (409 when its resourceVersion is stale). */
  replaceLease(lease: Lease): Promise<Lease>;
}

/** The Kubernetes API answered with an error status (or could not be reached: status 0). */
export class KubeApiError extends VvpError {
  override name = 'KubeApiError';
  constructor(
    message: string,
    status: number,
    readonly reason?: string,
  ) {
    super(message, { source: 'kubernetes', status, transient: isTransientStatus(status) });
  }
}

/** The queue key of a CR: `namespace/name`. */
export function keyOf(resource: { metadata: { namespace: string; name: string } }): string {
  return `${resource.metadata.namespace}/${resource.metadata.name}`;
}

/** Splits a queue key into namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
