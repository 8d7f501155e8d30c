/** Inputs and outputs of the Pulumi resource as the dynamic provider sees them (plain values, secrets unwrapped). */
import type {
  CrDeployment,
  Deployment,
  DeploymentResourceInputs,
  DeploymentResourceOutputs,
} from '../../core/src/index';

/** Inputs of vvp:Deployment after the SDK resolved them: the schema.json inputs plus the stamped back reference. */
export interface ProviderInputs extends Omit<DeploymentResourceInputs, 'deployment' | 'initFields'> {
  /** The deployment definition; `userMetadata` is accepted as an alias of `metadata`. */
  deployment: CrDeployment;
  /** Creation-only fields (PATCH mode). */
  initFields?: CrDeployment;
  /** Back reference stamped as annotation `ververica.platform/urn` (computed by the SDK; see ADR 0101). */
  resourceUrn: string;
}

/** Outputs of vvp:Deployment: every input echoed (diff receives old outputs) plus what VVP reported (schema.json). */
export interface ProviderOutputs
  extends ProviderInputs, Omit<DeploymentResourceOutputs, keyof DeploymentResourceInputs | 'actualState'> {
  /** VVP's status.state at the end of the last operation. */
  actualState: string;
  /** What the sync mode manages of the deployment (PATCH: the named leaves; PUT: everything) as last seen, for refresh. */
  lastObserved?: Deployment;
  /** Paths the last write sent that VVP did not keep: said once, left out of refresh's drift (ADR 0011). */
  fieldsNotKept?: string[];
}

/** Keys that are settings of the resource, not part of the VVP definition. */
export const SETTING_KEYS = ['waitFor', 'deletionPolicy', 'adopt', 'baseUrl', 'apiToken'] as const;
