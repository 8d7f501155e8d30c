/** Plain Pulumi property bags → the typed inputs, identity, ownership and outputs of vvp:Deployment. Pure. */
import {
  isPlainObject,
  prune,
  pulumiOwnership,
  refreshedDefinition,
  resolveDeployment,
  type CrDeployment,
  type Deployment,
  type DeploymentRef,
  type DesiredDefinition,
  type Ownership,
  type VvpDeployment,
} from '../../core/src/index';
import { SETTING_KEYS, type ProviderInputs, type ProviderOutputs } from './types';

/** Pulumi's placeholder for values unknown during preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
/** Key of the serialized provider in dynamic resource properties. */
export const PROVIDER_KEY = '__provider';

const INPUT_KEYS = [
  'syncingMode',
  'deployment',
  'initFields',
  'savepointNonce',
  'restartNonce',
  ...SETTING_KEYS,
  'resourceUrn',
] as const;

/** The definition part of a property bag (what core compares). */
export function definitionOf(props: Record<string, unknown>): DesiredDefinition {
  return {
    syncingMode: props.syncingMode as DesiredDefinition['syncingMode'],
    deployment: props.deployment as CrDeployment | undefined,
    initFields: props.initFields as CrDeployment | undefined,
    savepointNonce: props.savepointNonce as number | undefined,
    restartNonce: props.restartNonce as number | undefined,
  };
}

/** The definition of old outputs with the nonces as processed (a blocked nonce is consumed, so it is no change). */
export function processedDefinitionOf(olds: Record<string, unknown>): DesiredDefinition {
  const { savepoint, restart } = processedNonces(olds);
  return { ...definitionOf(olds), savepointNonce: savepoint, restartNonce: restart };
}

/** The nonce values recorded as processed in old outputs. */
export function processedNonces(olds: Record<string, unknown>): { savepoint?: number; restart?: number } {
  const savepoint = (olds.lastProcessedSavepointNonce ?? olds.savepointNonce) as number | undefined;
  const restart = (olds.lastProcessedRestartNonce ?? olds.restartNonce) as number | undefined;
  return { ...(savepoint !== undefined ? { savepoint } : {}), ...(restart !== undefined ? { restart } : {}) };
}

/** The inputs of a property bag (outputs echo every input). */
export function inputsOf(props: Record<string, unknown>): ProviderInputs {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as ProviderInputs;
}

/** The deployment's identity and its resolved definition. */
export function refOf(inputs: { deployment?: CrDeployment }): DeploymentRef & { deployment: Deployment } {
  const deployment = resolveDeployment(inputs.deployment);
  return { namespace: deployment.metadata?.namespace ?? 'default', name: deployment.metadata?.name ?? '', deployment };
}

/** Names the deployment in messages: `deployment default/orders`. */
export function subjectOf(inputs: { deployment?: CrDeployment }): string {
  return subjectFor(resolveDeployment(inputs.deployment));
}

/** The subject of a resolved definition. */
export function subjectFor(d: Deployment): string {
  return `deployment ${d.metadata?.namespace ?? '?'}/${d.metadata?.name ?? '?'}`;
}

/** The stamp of this Pulumi resource (its URN). */
export function ownershipOf(inputs: ProviderInputs, ref: DeploymentRef): Ownership {
  return pulumiOwnership(inputs.resourceUrn || `vvp:${ref.namespace}/${ref.name}`);
}

/** True when a value holds Pulumi's unknown placeholder anywhere. */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (isPlainObject(value)) return Object.values(value).some(hasUnknown);
  return false;
}

/** The observed outputs. */
export type ObservedOutputs = Pick<
  ProviderOutputs,
  'deploymentId' | 'actualState' | 'jobId' | 'resourceVersion' | 'lastObserved'
>;

/** The observed part of the outputs, from the deployment VVP returned last; `desired` is the resolved definition. */
export function observed(inputs: ProviderInputs, desired: Deployment, d: VvpDeployment): ObservedOutputs {
  const out: ObservedOutputs = {
    deploymentId: d.metadata.id,
    actualState: d.status?.state ?? 'UNKNOWN',
    // what the sync mode manages of the deployment as VVP holds it; kept to tell out-of-band changes apart
    lastObserved: refreshedDefinition(inputs.syncingMode, desired, d),
  };
  if (d.status?.running?.jobId !== undefined) out.jobId = d.status.running.jobId;
  if (d.metadata.resourceVersion !== undefined) out.resourceVersion = d.metadata.resourceVersion;
  return out;
}

/** Drops `undefined`/`null` so the outputs travel as a protobuf Struct. */
export function clean<T extends object>(outputs: T): Record<string, unknown> {
  return prune(outputs as Record<string, unknown>);
}
