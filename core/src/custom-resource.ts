/**
 * The VvpDeployment custom resource built from typed inputs: owner label, operator annotations and the defaults of
 * a new deployment. Shared by the cdk8s constructs and the Pulumi CR component, so both emit the same object.
 */
import { clone, prune } from './json';
import { ADOPT_ANNOTATION, APIKEY_SECRET_ANNOTATION, OWNER_LABEL } from './model/deployment';
import {
  CUSTOM_RESOURCE,
  type CrDeployment,
  type DeploymentMetadata,
  type InitialSavepointSpec,
  type SyncingMode,
  type VvpDeploymentSpec,
} from './model/generated';

/** VVP namespace a deployment lands in when its definition names none. */
export const DEFAULT_VVP_NAMESPACE = 'default';
/** Desired state of a new deployment when its definition names none: created, not started. */
export const DEFAULT_INITIAL_STATE = 'CANCELLED';
/** Sync mode when none is given. */
export const DEFAULT_SYNCING_MODE: SyncingMode = 'PATCH';
/** apiVersion of the custom resource. */
export const CUSTOM_RESOURCE_API_VERSION = `${CUSTOM_RESOURCE.group}/${CUSTOM_RESOURCE.version}`;

/** Typed inputs of one VvpDeployment CR (what the cdk8s construct and the Pulumi component accept). */
export interface CustomResourceInput {
  /** Kubernetes name of the CR; also the default VVP deployment name. */
  name: string;
  /** Kubernetes namespace of the CR. @default omitted (the tool's default namespace) */
  namespace?: string;
  /** Extra CR labels; the owner label always wins. @default none */
  labels?: Record<string, string>;
  /** Extra CR annotations. @default none */
  annotations?: Record<string, string>;
  /** instanceId of the owning operator (label `ververica.platform/owner`). */
  instanceId: string;
  /** How spec changes are projected. @default PATCH */
  syncingMode?: SyncingMode;
  /** The VVP deployment definition; defaults fill `metadata.name`, `metadata.namespace` and `spec.state`. */
  deployment: CrDeployment;
  /** Creation-only fields (PATCH). @default none */
  initFields?: CrDeployment;
  /** Savepoint nonce. @default unset */
  savepointNonce?: number;
  /** Restart nonce. @default unset */
  restartNonce?: number;
  /** External savepoint registered at creation. @default none */
  initialSavepointSpec?: InitialSavepointSpec;
  /** Secret with the VVP API token (annotation `apikeySecretName`). @default none */
  apikeySecretName?: string;
  /** Annotation `ververica.platform/adopt: "true"`. @default false */
  adopt?: boolean;
}

/** A VvpDeployment custom resource as applied to Kubernetes. */
export interface VvpDeploymentCustomResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: VvpDeploymentSpec;
}

/** The definition with defaults where it names nothing: VVP name = CR name, VVP namespace `default`, state CANCELLED. */
export function withDeploymentDefaults(deployment: CrDeployment, name: string): CrDeployment {
  const out = clone(deployment);
  // Fill the spelling the user chose; adding `metadata` next to `userMetadata` would be an error.
  const key = out.userMetadata !== undefined ? 'userMetadata' : 'metadata';
  const metadata: DeploymentMetadata = { ...out[key] };
  metadata.name ??= name;
  metadata.namespace ??= DEFAULT_VVP_NAMESPACE;
  out[key] = metadata;
  out.spec = { ...out.spec, state: out.spec?.state ?? DEFAULT_INITIAL_STATE };
  return out;
}

/** The CR for the inputs; nothing of the inputs is shared with the result. */
export function buildCustomResource(input: CustomResourceInput): VvpDeploymentCustomResource {
  const annotations: Record<string, string> = { ...input.annotations };
  if (input.apikeySecretName !== undefined) annotations[APIKEY_SECRET_ANNOTATION] = input.apikeySecretName;
  if (input.adopt) annotations[ADOPT_ANNOTATION] = 'true';
  return {
    apiVersion: CUSTOM_RESOURCE_API_VERSION,
    kind: CUSTOM_RESOURCE.kind,
    metadata: {
      name: input.name,
      ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
      labels: { ...input.labels, [OWNER_LABEL]: input.instanceId },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: prune({
      syncingMode: input.syncingMode ?? DEFAULT_SYNCING_MODE,
      deployment: withDeploymentDefaults(input.deployment, input.name),
      initFields: clone(input.initFields),
      savepointNonce: input.savepointNonce,
      restartNonce: input.restartNonce,
      initialSavepointSpec: clone(input.initialSavepointSpec),
    }),
  };
}

/** The CR name an input implies when none is given: the VVP deployment name (either spelling), if any. */
export function impliedResourceName(deployment: CrDeployment | undefined): string | undefined {
  return deployment?.userMetadata?.name ?? deployment?.metadata?.name;
}
