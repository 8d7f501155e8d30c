/**
 * The VVP model as the emulator checks it: names, enums, server annotations, built-in defaults, and the type of
 * every known field of each object, as data. A later per-version profile (closed VVP 2.4 model, VVP 3 model)
 * is one more entry of MODELS plus an unknown-field policy; the checker in validate.ts reads only this table.
 */
import type { Json } from './json';

/** The type of a field. Strings name scalars; objects describe maps, lists, enums and nested shapes. */
export type FieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  /** any object, contents free-form */
  | 'object'
  /** a string, number or boolean (VVP reads it as a string) */
  | 'scalar'
  | { readonly enum: readonly string[] }
  | { readonly mapOf: FieldType }
  | { readonly listOf: FieldType }
  | Shape;

/** An object with known fields. Fields not listed are "unknown" and handled by the model's unknown-field policy. */
export interface Shape {
  readonly fields: Readonly<Record<string, FieldType>>;
}

/** What happens to fields the model does not list: keep them (ADR 0002), drop them, or reject the write. */
export type UnknownFields = 'keep' | 'drop' | 'reject';

/** One version of the model: the shape of each object the API accepts. */
export interface Model {
  readonly deploymentMetadata: Shape;
  readonly deploymentSpec: Shape;
  readonly target: Shape;
  readonly savepoint: Shape;
  readonly event: Shape;
  readonly token: Shape;
  readonly namespace: Shape;
  readonly unknownFields: UnknownFields;
}

export const SPEC_VERSION = 'com.dataartisans.appmanager.controller.deployment.spec.version';
export const TRANSITIONING = 'com.dataartisans.appmanager.controller.deployment.transitioning';
/** Deployment and namespace names. */
export const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const TARGET_NAME = /^[0-9a-zA-Z_-]{1,250}$/;
export const DESIRED_STATES = ['RUNNING', 'CANCELLED', 'SUSPENDED'] as const;
export const UPGRADE_KINDS = ['STATEFUL', 'STATELESS', 'NONE'] as const;
export const RESTORE_KINDS = ['LATEST_STATE', 'LATEST_SAVEPOINT', 'NONE'] as const;
export const ROLES = ['viewer', 'editor', 'owner'] as const;
/** The field that locates the artifact of each artifact kind. */
export const ARTIFACT_KINDS: Readonly<Record<string, string>> = {
  JAR: 'jarUri',
  SQLSCRIPT: 'sqlScript',
  PYTHON: 'pythonArtifactUri',
};

/** Built-in global deployment defaults (docs/adr/0003 records where each value comes from). */
export const GLOBAL_DEFAULTS: Json = {
  state: 'CANCELLED',
  upgradeStrategy: { kind: 'STATEFUL' },
  restoreStrategy: { kind: 'LATEST_STATE', allowNonRestoredState: false },
  maxSavepointCreationAttempts: 4,
  maxJobCreationAttempts: 4,
  template: {
    spec: {
      parallelism: 1,
      resources: { jobmanager: { cpu: 1, memory: '1G' }, taskmanager: { cpu: 1, memory: '2G' } },
      logging: { loggingProfile: 'default', log4jLoggers: { '': 'INFO' } },
      flinkConfiguration: {},
    },
  },
};

const strings = { mapOf: 'string' } as const;
const stringList = { listOf: 'string' } as const;

const ARTIFACT: Shape = {
  fields: {
    kind: 'string',
    jarUri: 'string',
    entryClass: 'string',
    mainArgs: 'string',
    additionalDependencies: stringList,
    flinkVersion: 'string',
    flinkImageRegistry: 'string',
    flinkImageRepository: 'string',
    flinkImageTag: 'string',
    engineVersionName: 'string',
    sqlScript: 'string',
    pythonArtifactUri: 'string',
    entryModule: 'string',
    additionalPythonArchives: stringList,
    additionalPythonLibraries: stringList,
    uri: 'string',
    artifactImage: 'string',
  },
};

const TEMPLATE_SPEC: Shape = {
  fields: {
    artifact: ARTIFACT,
    parallelism: 'integer',
    numberOfTaskManagers: 'integer',
    resources: { mapOf: { fields: { cpu: 'number', memory: 'string' } } },
    flinkConfiguration: { mapOf: 'scalar' },
    logging: { fields: { loggingProfile: 'string', log4jLoggers: strings, log4j2ConfigurationTemplate: 'string' } },
    kubernetes: 'object',
  },
};

const DEPLOYMENT_SPEC: Shape = {
  fields: {
    state: { enum: DESIRED_STATES },
    upgradeStrategy: { fields: { kind: { enum: UPGRADE_KINDS } } },
    restoreStrategy: { fields: { kind: { enum: RESTORE_KINDS }, allowNonRestoredState: 'boolean' } },
    deploymentTargetId: 'string',
    deploymentTargetName: 'string',
    sessionClusterName: 'string',
    maxSavepointCreationAttempts: 'integer',
    maxJobCreationAttempts: 'integer',
    template: { fields: { metadata: { fields: { annotations: strings } }, spec: TEMPLATE_SPEC } },
  },
};

const METADATA: Shape = {
  fields: {
    id: 'string',
    name: 'string',
    namespace: 'string',
    displayName: 'string',
    description: 'string',
    labels: strings,
    annotations: strings,
    createdAt: 'string',
    modifiedAt: 'string',
    resourceVersion: 'integer',
  },
};

/** The model every profile starts from: today the only one (unknown fields kept, ADR 0002). */
export const LENIENT: Model = {
  deploymentMetadata: METADATA,
  deploymentSpec: DEPLOYMENT_SPEC,
  target: {
    fields: {
      metadata: { fields: { name: 'string', labels: strings, annotations: strings } },
      spec: { fields: { kubernetes: { fields: { namespace: 'string' } } } },
    },
  },
  savepoint: {
    fields: {
      metadata: { fields: { deploymentId: 'string', annotations: strings } },
      spec: { fields: { savepointLocation: 'string', flinkSavepointId: 'string' } },
    },
  },
  event: {
    fields: {
      metadata: { fields: { name: 'string', deploymentId: 'string', jobId: 'string' } },
      spec: { fields: { message: 'string' } },
    },
  },
  token: { fields: { name: 'string', role: { enum: ROLES } } },
  namespace: { fields: { name: 'string' } },
  unknownFields: 'keep',
};

/** The models by name: one table, so a profile is one more row. */
export const MODELS: Readonly<Record<string, Model>> = { lenient: LENIENT };

// ---- Platform resources of ADR 0010 (session clusters, secret values, Autopilot); kept apart from MODELS so a
// profile row needs no change. The unknown-field policy of the profile's model applies to them too.

export const SESSION_CLUSTER_STATES = ['STOPPED', 'RUNNING'] as const;
export const AUTOPILOT_MODES = [
  'AUTOPILOT_MODE_DISABLED',
  'AUTOPILOT_MODE_MONITORING',
  'AUTOPILOT_MODE_ACTIVE',
] as const;
/** Secret value names (UNVERIFIED, ADR 0010): like Kubernetes object names, letters of both cases allowed. */
export const SECRET_NAME = /^[a-zA-Z0-9]([-_.a-zA-Z0-9]{0,251}[a-zA-Z0-9])?$/;

const SESSION_CLUSTER_SPEC: Shape = {
  fields: {
    state: { enum: SESSION_CLUSTER_STATES },
    deploymentTargetName: 'string',
    flinkVersion: 'string',
    flinkImageRegistry: 'string',
    flinkImageRepository: 'string',
    flinkImageTag: 'string',
    numberOfTaskManagers: 'integer',
    resources: TEMPLATE_SPEC.fields.resources!,
    flinkConfiguration: { mapOf: 'scalar' },
    logging: TEMPLATE_SPEC.fields.logging!,
    kubernetes: 'object',
  },
};

/** A session cluster write (vvp-2.4: no engineVersionName). */
export const SESSION_CLUSTER_24: Shape = {
  fields: {
    // what GET answers may be sent back (kind, apiVersion, status are ignored)
    kind: 'string',
    apiVersion: 'string',
    status: 'object',
    metadata: {
      fields: {
        name: 'string',
        namespace: 'string',
        labels: strings,
        annotations: strings,
        resourceVersion: 'integer',
        id: 'string',
        createdAt: 'string',
        modifiedAt: 'string',
      },
    },
    spec: SESSION_CLUSTER_SPEC,
  },
};

/** A session cluster write (vvp-3 and lenient: also `spec.engineVersionName`). */
export const SESSION_CLUSTER: Shape = {
  fields: {
    ...SESSION_CLUSTER_24.fields,
    spec: { fields: { ...SESSION_CLUSTER_SPEC.fields, engineVersionName: 'string' } },
  },
};

/** A secret value write; `spec.value` is checked apart so its value never appears in a message. */
export const SECRET_VALUE: Shape = {
  fields: {
    kind: 'string',
    apiVersion: 'string',
    metadata: {
      fields: {
        id: 'string',
        name: 'string',
        namespace: 'string',
        labels: strings,
        annotations: strings,
        createdAt: 'string',
        modifiedAt: 'string',
        resourceVersion: 'integer',
      },
    },
    spec: { fields: { kind: 'string', value: 'string' } },
  },
};

/** An Autopilot policy write. */
export const AUTOPILOT_POLICY: Shape = { fields: { mode: { enum: AUTOPILOT_MODES } } };
