/** Inputs and outputs of the Pulumi resource as the dynamic provider sees them (plain values, secrets unwrapped). */
import type {
  BlockedNonce,
  ChangeClass,
  CrDeployment,
  DeletionPolicy,
  Deployment,
  SavepointRecord,
  SyncingMode,
  WaitFor,
} from '../../core/src/index';

/** Inputs of vvp:Deployment after the SDK resolved them. */
export interface ProviderInputs {
  /** How changes are projected. */
  syncingMode: SyncingMode;
  /** The deployment definition; `userMetadata` is accepted as an alias of `metadata`. */
  deployment: CrDeployment;
  /** Creation-only fields (PATCH mode). */
  initFields?: CrDeployment;
  /** Any change of value triggers one savepoint while RUNNING. */
  savepointNonce?: number;
  /** Any change of value triggers one job restart while RUNNING. */
  restartNonce?: number;
  /** Bounded waits after create and update. */
  waitFor?: WaitFor;
  /** What destroy does. @default requireInactive */
  deletionPolicy?: DeletionPolicy;
  /** Take over an existing deployment not stamped by this resource. @default false */
  adopt?: boolean;
  /** VVP base URL. @default VVP_URL, then `vvp:baseUrl` */
  baseUrl?: string;
  /** VVP API token (a Pulumi secret). @default VVP_API_TOKEN, then `vvp:apiToken` */
  apiToken?: string;
  /** Back reference stamped as annotation `ververica.platform/urn` (computed by the SDK; see ADR 0101). */
  resourceUrn: string;
}

/** Outputs of vvp:Deployment: every input echoed (diff receives old outputs) plus what VVP reported. */
export interface ProviderOutputs extends ProviderInputs {
  /** VVP deployment id (UUID); also the resource id. */
  deploymentId: string;
  /** VVP's status.state at the end of the last operation. */
  actualState: string;
  /** Id of the current job, if any. */
  jobId?: string;
  /** VVP resourceVersion after the last operation. */
  resourceVersion?: number;
  /** Class of the last change applied. */
  lastChange: ChangeClass;
  /** The last nonce-triggered savepoint. */
  lastSavepoint?: SavepointRecord;
  /** Nonce changes the last operation blocked and consumed. */
  blockedNonces?: BlockedNonce[];
  /** Savepoint nonce recorded as processed (submitted or blocked). */
  lastProcessedSavepointNonce?: number;
  /** Restart nonce recorded as processed (submitted or blocked). */
  lastProcessedRestartNonce?: number;
  /** What the sync mode manages of the deployment (PATCH: the named leaves; PUT: everything) as last seen, for refresh. */
  lastObserved?: Deployment;
}

/** Keys that are settings of the resource, not part of the VVP definition. */
export const SETTING_KEYS = ['waitFor', 'deletionPolicy', 'adopt', 'baseUrl', 'apiToken'] as const;

/** Keys of outputs that only VVP decides. */
export const OBSERVED_KEYS = [
  'deploymentId',
  'actualState',
  'jobId',
  'resourceVersion',
  'lastChange',
  'lastSavepoint',
  'blockedNonces',
  'lastProcessedSavepointNonce',
  'lastProcessedRestartNonce',
  'lastObserved',
] as const;
