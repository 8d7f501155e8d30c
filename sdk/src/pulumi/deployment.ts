/** The user-facing Pulumi resource: `new vvp.Deployment('orders', { syncingMode, deployment, ... })`. */
import * as pulumi from '@pulumi/pulumi';
import type {
  BlockedNonce,
  ChangeClass,
  CrDeployment,
  DeletionPolicy,
  SavepointRecord,
  SyncingMode,
  WaitFor,
} from '../../../core/src/index';
import { vvpDeploymentProvider } from '../../../provider/src/shell';

/** Module of the dynamic resource type. */
export const DEPLOYMENT_MODULE = 'vvp';
/** Name of the dynamic resource type. */
export const DEPLOYMENT_TYPE_NAME = 'Deployment';
/** The full Pulumi type token of the resource. */
export const DEPLOYMENT_TYPE = `pulumi-nodejs:dynamic/${DEPLOYMENT_MODULE}:${DEPLOYMENT_TYPE_NAME}`;

/** Arguments of a {@link Deployment}. */
export interface DeploymentArgs {
  /** How changes are projected: PATCH sends only the fields named, PUT sends the full definition. */
  syncingMode: pulumi.Input<SyncingMode>;
  /** The VVP deployment definition (metadata + spec); `userMetadata` is accepted as an alias of `metadata`. */
  deployment: pulumi.Input<CrDeployment>;
  /** Fields applied only when the deployment is created (PATCH mode only); `deployment` wins where both set a leaf. */
  initFields?: pulumi.Input<CrDeployment>;
  /** Any change of value triggers one savepoint while RUNNING; a change while not RUNNING is blocked and consumed. */
  savepointNonce?: pulumi.Input<number>;
  /** Any change of value triggers one job restart while RUNNING; a change while not RUNNING is blocked and consumed. */
  restartNonce?: pulumi.Input<number>;
  /** Bounded waits after create and update. @default { state: true, savepoint: false, timeoutSeconds: 300 } */
  waitFor?: pulumi.Input<WaitFor>;
  /** What `pulumi destroy` does with the VVP deployment. @default requireInactive */
  deletionPolicy?: pulumi.Input<DeletionPolicy>;
  /** Take over an existing deployment with this name that this stack did not create. @default false */
  adopt?: pulumi.Input<boolean>;
  /** VVP base URL. @default the `vvp:baseUrl` stack config, else VVP_URL in the environment of `pulumi` */
  baseUrl?: pulumi.Input<string>;
  /** VVP API token, stored as a secret. @default the `vvp:apiToken` stack config (secret), else VVP_API_TOKEN */
  apiToken?: pulumi.Input<string>;
}

/**
 * The URN stamped on the deployment as annotation `ververica.platform/urn`: the resource's own URN, computed from
 * the stack, project, parent type chain and name (the dynamic provider is not told the URN; ADR 0101).
 */
export function deploymentResourceUrn(name: string, parent?: pulumi.Resource): pulumi.Input<string> {
  if (!parent) return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${DEPLOYMENT_TYPE}::${name}`;
  return parent.urn.apply((parentUrn) => {
    const [prefix, project, parentType] = parentUrn.split('::');
    return `${prefix}::${project}::${parentType}$${DEPLOYMENT_TYPE}::${name}`;
  });
}

/** A Ververica Platform deployment managed by Pulumi (behaviour: docs/contract.md). */
export class Deployment extends pulumi.dynamic.Resource {
  /** How changes are projected. */
  declare readonly syncingMode: pulumi.Output<SyncingMode>;
  /** The definition as last applied (after `pulumi refresh`: as VVP holds it). */
  declare readonly deployment: pulumi.Output<CrDeployment>;
  /** Creation-only fields, as given. */
  declare readonly initFields: pulumi.Output<CrDeployment | undefined>;
  /** The savepoint nonce, as given. */
  declare readonly savepointNonce: pulumi.Output<number | undefined>;
  /** The restart nonce, as given. */
  declare readonly restartNonce: pulumi.Output<number | undefined>;
  /** The waits, as given. */
  declare readonly waitFor: pulumi.Output<WaitFor | undefined>;
  /** The deletion policy, as given. */
  declare readonly deletionPolicy: pulumi.Output<DeletionPolicy | undefined>;
  /** The VVP deployment id (UUID). */
  declare readonly deploymentId: pulumi.Output<string>;
  /** VVP's `status.state` at the end of the last operation. */
  declare readonly actualState: pulumi.Output<string>;
  /** Id of the current job, if any. */
  declare readonly jobId: pulumi.Output<string | undefined>;
  /** VVP resourceVersion after the last operation. */
  declare readonly resourceVersion: pulumi.Output<number | undefined>;
  /** Class of the last change: none, config, state, restart, savepoint or replace. */
  declare readonly lastChange: pulumi.Output<ChangeClass>;
  /** The last nonce-triggered savepoint: nonce, savepointId, state, location, triggeredAt. */
  declare readonly lastSavepoint: pulumi.Output<SavepointRecord | undefined>;
  /** Nonce changes the last update blocked and consumed (the job was not RUNNING). */
  declare readonly blockedNonces: pulumi.Output<BlockedNonce[] | undefined>;
  /** The savepoint nonce recorded as processed (submitted or blocked). */
  declare readonly lastProcessedSavepointNonce: pulumi.Output<number | undefined>;
  /** The restart nonce recorded as processed (submitted or blocked). */
  declare readonly lastProcessedRestartNonce: pulumi.Output<number | undefined>;

  /** Declares a deployment; no I/O happens here, the provider talks to VVP during `pulumi up`. */
  constructor(name: string, args: DeploymentArgs, opts: pulumi.CustomResourceOptions = {}) {
    const config = new pulumi.Config('vvp');
    const baseUrl = args.baseUrl ?? config.get('baseUrl');
    const apiToken = args.apiToken ?? config.getSecret('apiToken');
    super(
      vvpDeploymentProvider,
      name,
      {
        ...args,
        baseUrl,
        apiToken: apiToken === undefined ? undefined : pulumi.secret(apiToken),
        resourceUrn: deploymentResourceUrn(name, opts.parent),
        deploymentId: undefined,
        actualState: undefined,
        jobId: undefined,
        resourceVersion: undefined,
        lastChange: undefined,
        lastSavepoint: undefined,
        blockedNonces: undefined,
        lastProcessedSavepointNonce: undefined,
        lastProcessedRestartNonce: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), 'apiToken'] },
      DEPLOYMENT_MODULE,
      DEPLOYMENT_TYPE_NAME,
    );
  }
}
