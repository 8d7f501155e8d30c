/**
 * VvpDeploymentCR: a Pulumi component that manages a `VvpDeployment` custom resource through `@pulumi/kubernetes`,
 * so the operator (not Pulumi) talks to VVP. Bumping `savepointNonce` or `restartNonce` here makes the operator
 * trigger a savepoint or a restart. `@pulumi/kubernetes` is loaded only when this component is used.
 */
import * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes';
import {
  buildCustomResource,
  CUSTOM_RESOURCE,
  CUSTOM_RESOURCE_API_VERSION,
  errorsOf,
  impliedResourceName,
  validate,
  ValidationError,
  VvpError,
  warningsOf,
  type CrDeployment,
  type InitialSavepointSpec,
  type Issue,
  type SyncingMode,
  type VvpDeploymentCustomResource,
} from '../../../core/src/index';

/** Pulumi type token of the component. */
export const VVP_DEPLOYMENT_CR_TYPE = 'vvp:index:VvpDeploymentCR';

/** Kubernetes metadata of the CR. */
export interface VvpDeploymentCRMetadata {
  /** CR name. @default the VVP deployment name, else the Pulumi resource name */
  name?: string;
  /** Kubernetes namespace; must be watched by the operator. @default the Kubernetes provider's namespace */
  namespace?: string;
  /** Extra labels; the owner label always equals `instanceId`. @default none */
  labels?: Record<string, string>;
  /** Extra annotations. @default none */
  annotations?: Record<string, string>;
}

/** Typed arguments of a VvpDeploymentCR (the same as the cdk8s VvpDeployment construct's props). */
export interface VvpDeploymentCRArgs {
  /** Kubernetes metadata of the CR. @default name from the deployment, namespace from the provider */
  metadata?: pulumi.Input<VvpDeploymentCRMetadata>;
  /** instanceId of the operator that owns the CR (label `ververica.platform/owner`). */
  instanceId: pulumi.Input<string>;
  /** How spec changes are projected to VVP. @default PATCH */
  syncingMode?: pulumi.Input<SyncingMode>;
  /** The VVP deployment definition; `metadata.namespace` defaults to `default`, `spec.state` to CANCELLED. */
  deployment: pulumi.Input<CrDeployment>;
  /** Fields sent only when the deployment is created (PATCH mode only). @default none */
  initFields?: pulumi.Input<CrDeployment>;
  /** Any change of value makes the operator trigger one savepoint while RUNNING. @default unset */
  savepointNonce?: pulumi.Input<number>;
  /** Any change of value makes the operator restart the job once while RUNNING. @default unset */
  restartNonce?: pulumi.Input<number>;
  /** External savepoint registered when the deployment is created. @default none */
  initialSavepointSpec?: pulumi.Input<InitialSavepointSpec>;
  /** Secret in the CR's namespace with the VVP API token (key `token`). @default none */
  apikeySecretName?: pulumi.Input<string>;
  /** Take over an existing VVP deployment of the same name without an owner stamp. @default false */
  adopt?: pulumi.Input<boolean>;
}

/** A VVP deployment managed by the vvp-iac operator, declared from Pulumi as a `VvpDeployment` custom resource. */
export class VvpDeploymentCR extends pulumi.ComponentResource {
  /** The custom resource as applied (after defaults), validated like the admission webhook does. */
  readonly manifest: pulumi.Output<VvpDeploymentCustomResource>;
  /** The underlying `@pulumi/kubernetes` custom resource. */
  readonly customResource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: VvpDeploymentCRArgs, opts?: pulumi.ComponentResourceOptions) {
    super(VVP_DEPLOYMENT_CR_TYPE, name, {}, opts);
    const kubernetes = loadKubernetes();

    const build = (plain: pulumi.Unwrap<VvpDeploymentCRArgs>): VvpDeploymentCustomResource => {
      const metadata = plain.metadata ?? {};
      const cr = buildCustomResource({
        ...plain,
        name: metadata.name ?? impliedResourceName(plain.deployment) ?? name,
        namespace: metadata.namespace,
        labels: metadata.labels,
        annotations: metadata.annotations,
      });
      const issues = validate(cr, undefined, { operation: 'CREATE', instanceId: plain.instanceId });
      for (const warning of warningsOf(issues)) void pulumi.log.warn(describeIssue(warning), this);
      const errors = errorsOf(issues);
      if (errors.length) throw new pulumi.ResourceError(new ValidationError(errors).message, this);
      return cr;
    };
    // Known inputs are validated right here, so a bad definition fails at the line that declares it.
    this.manifest = isKnownValue(args)
      ? pulumi.output(build(args as pulumi.Unwrap<VvpDeploymentCRArgs>))
      : pulumi.output(args).apply((a) => build(a as pulumi.Unwrap<VvpDeploymentCRArgs>));

    this.customResource = new kubernetes.apiextensions.CustomResource(
      name,
      {
        apiVersion: CUSTOM_RESOURCE_API_VERSION,
        kind: CUSTOM_RESOURCE.kind,
        metadata: this.manifest.metadata,
        spec: this.manifest.spec,
      },
      { parent: this },
    );
    this.registerOutputs({ manifest: this.manifest });
  }
}

/** True when a value holds no Output or Promise anywhere (every input is known now). */
function isKnownValue(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
  if (Array.isArray(value)) return value.every(isKnownValue);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(isKnownValue);
  return true;
}

function describeIssue(issue: Issue): string {
  return `${issue.path}: ${issue.message}`;
}

/** `@pulumi/kubernetes`, required on first use so that `vvp-iac/pulumi` does not depend on it otherwise. */
function loadKubernetes(): typeof k8s {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@pulumi/kubernetes') as typeof k8s;
  } catch (cause) {
    throw new VvpError(
      'VvpDeploymentCR needs the @pulumi/kubernetes package; install it with `npm install @pulumi/kubernetes`',
      { cause },
    );
  }
}
