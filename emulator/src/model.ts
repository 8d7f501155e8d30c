/**
 * The VVP model as the emulator checks it: names, enums, server annotations, built-in defaults, and the type of
 * every known field of each object, as data. MODELS holds one entry per platform version (the closed VVP 2.4.3
 * model, the VVP 3 model, the lenient one); a profile (profiles.ts, ADR 0009) picks one and adds the policies.
 * The checker in validate.ts reads only this table.
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
  /** `anyCase`: VVP documents lowercase input (`kind: jar`), upper-cased under Policy.upperCaseEnums */
  | { readonly enum: readonly string[]; readonly anyCase?: boolean }
  | { readonly mapOf: FieldType }
  | { readonly listOf: FieldType }
  | Shape;

/** An object with known fields. Fields not listed are "unknown" and handled by the model's unknown-field policy. */
export interface Shape {
  readonly fields: Readonly<Record<string, FieldType>>;
}

/** What happens to fields the model does not list: keep them (ADR 0002), drop them, or reject the write. */
export type UnknownFields = 'keep' | 'drop' | 'reject';

/** How writes are checked beyond field types: unknown fields, and lowercase enum input (`stateless`). */
export interface Policy {
  /** The model's name, for messages. */
  readonly name?: string;
  readonly unknownFields: UnknownFields;
  /** Input of an `anyCase` enum in another case (`jar`, `latest_state`) is stored upper-cased, not rejected. */
  readonly upperCaseEnums?: boolean;
}

/** The model names of MODELS. */
export type ModelName = 'vvp-2.4' | 'vvp-3' | 'lenient';

/** The shapes of one version of the model: each object the API accepts. */
export interface ModelShapes {
  readonly deploymentMetadata: Shape;
  readonly deploymentSpec: Shape;
  readonly target: Shape;
  readonly savepoint: Shape;
  readonly event: Shape;
  readonly token: Shape;
  readonly namespace: Shape;
}

/** A model as one emulator checks it: the shapes of a version and the policies of its profile. */
export interface Model extends ModelShapes, Policy {
  readonly name: ModelName;
}

export const SPEC_VERSION = 'com.dataartisans.appmanager.controller.deployment.spec.version';
export const TRANSITIONING = 'com.dataartisans.appmanager.controller.deployment.transitioning';
/** Deployment and namespace names. */
export const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const TARGET_NAME = /^[0-9a-zA-Z_-]{1,250}$/;
export const DESIRED_STATES = ['RUNNING', 'CANCELLED', 'SUSPENDED'] as const;
export const UPGRADE_KINDS = ['STATEFUL', 'STATELESS', 'NONE'] as const;
export const RESTORE_KINDS = ['LATEST_STATE', 'LATEST_SAVEPOINT', 'NONE'] as const;
export const ARTIFACT_KIND_NAMES = ['JAR', 'SQLSCRIPT', 'PYTHON'] as const;
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

/** The artifact of the VVP 2.4.3 swagger (closed): Flink version and image, no engine version, no Python. */
const ARTIFACT_24: Shape = {
  fields: {
    kind: { enum: ['JAR', 'SQLSCRIPT'], anyCase: true },
    jarUri: 'string',
    entryClass: 'string',
    mainArgs: 'string',
    additionalDependencies: stringList,
    flinkVersion: 'string',
    flinkImageRegistry: 'string',
    flinkImageRepository: 'string',
    flinkImageTag: 'string',
    sqlScript: 'string',
  },
};

/** The artifact of later 2.x and VVP 3: Python artifacts and the engine version beside the 2.4.3 fields. */
const ARTIFACT: Shape = {
  fields: {
    ...ARTIFACT_24.fields,
    kind: { enum: ARTIFACT_KIND_NAMES, anyCase: true },
    // the placement of profiles.ts ENGINE_VERSION_PATH (ADR 0009)
    engineVersionName: 'string',
    pythonArtifactUri: 'string',
    entryModule: 'string',
    additionalPythonArchives: stringList,
    additionalPythonLibraries: stringList,
    uri: 'string',
    artifactImage: 'string',
  },
};

const templateSpec = (artifact: Shape): Shape => ({
  fields: {
    artifact,
    parallelism: 'integer',
    numberOfTaskManagers: 'integer',
    resources: { mapOf: { fields: { cpu: 'number', memory: 'string' } } },
    flinkConfiguration: { mapOf: 'scalar' },
    logging: { fields: { loggingProfile: 'string', log4jLoggers: strings, log4j2ConfigurationTemplate: 'string' } },
    kubernetes: 'object',
  },
});

const deploymentSpec = (artifact: Shape): Shape => ({
  fields: {
    state: { enum: DESIRED_STATES },
    upgradeStrategy: { fields: { kind: { enum: UPGRADE_KINDS, anyCase: true } } },
    restoreStrategy: { fields: { kind: { enum: RESTORE_KINDS, anyCase: true }, allowNonRestoredState: 'boolean' } },
    deploymentTargetId: 'string',
    deploymentTargetName: 'string',
    sessionClusterName: 'string',
    maxSavepointCreationAttempts: 'integer',
    maxJobCreationAttempts: 'integer',
    template: { fields: { metadata: { fields: { annotations: strings } }, spec: templateSpec(artifact) } },
  },
});

/** Deployment metadata of the 2.4.3 swagger: no description. */
const METADATA_24: Shape = {
  fields: {
    id: 'string',
    name: 'string',
    namespace: 'string',
    displayName: 'string',
    labels: strings,
    annotations: strings,
    createdAt: 'string',
    modifiedAt: 'string',
    resourceVersion: 'integer',
  },
};

/** VVP 3 adds a deployment description (PUT never changes it). */
const METADATA: Shape = { fields: { ...METADATA_24.fields, description: 'string' } };

/** The objects every version shares. */
const COMMON = {
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
} satisfies Partial<ModelShapes>;

/** The models by name (profiles.ts picks one per profile; ADR 0009). */
export const MODELS: Readonly<Record<ModelName, ModelShapes>> = {
  /** The closed VVP 2.4.3 swagger model. */
  'vvp-2.4': { ...COMMON, deploymentMetadata: METADATA_24, deploymentSpec: deploymentSpec(ARTIFACT_24) },
  /** VVP 3 as its docs show it: description, engine version, Python artifacts. */
  'vvp-3': { ...COMMON, deploymentMetadata: METADATA, deploymentSpec: deploymentSpec(ARTIFACT) },
  /** Every field either version knows; the lenient profile keeps unknown ones too (ADR 0002). */
  lenient: { ...COMMON, deploymentMetadata: METADATA, deploymentSpec: deploymentSpec(ARTIFACT) },
};

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
    resources: templateSpec(ARTIFACT).fields.resources!,
    flinkConfiguration: { mapOf: 'scalar' },
    logging: templateSpec(ARTIFACT).fields.logging!,
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
