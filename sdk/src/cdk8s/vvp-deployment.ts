/**
 * VvpDeployment: the typed cdk8s construct that emits one `VvpDeployment` custom resource (ververica.platform/v1)
 * and validates it at synth with the same core `validate` the admission webhook runs.
 */
import { ApiObject, type ApiObjectMetadata, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import {
  buildCustomResource,
  CUSTOM_RESOURCE,
  CUSTOM_RESOURCE_API_VERSION,
  DEFAULT_SYNCING_MODE,
  errorsOf,
  impliedResourceName,
  validate,
  warningsOf,
  type CrDeployment,
  type InitialSavepointSpec,
  type Issue,
  type SyncingMode,
  type VvpDeploymentCustomResource,
  type VvpDeploymentSpec,
  OWNER_LABEL,
} from '../../../core/src/index';

/** Typed properties of a VvpDeployment custom resource. */
export interface VvpDeploymentProps {
  /**
   * Kubernetes metadata of the CR (name, namespace, extra labels and annotations).
   * @default name: the VVP deployment name, else a name derived from the construct path; namespace: the chart's
   */
  readonly metadata?: ApiObjectMetadata;
  /** instanceId of the operator that owns the CR; written to the label `ververica.platform/owner`. */
  readonly instanceId: string;
  /** How spec changes are projected to VVP. @default PATCH */
  readonly syncingMode?: SyncingMode;
  /**
   * The VVP deployment definition (metadata + spec); unknown VVP fields pass through.
   * `metadata.namespace` defaults to `default`, `metadata.name` to the CR name and `spec.state` to CANCELLED.
   */
  readonly deployment: CrDeployment;
  /** Fields sent only when the deployment is created (PATCH mode only); `deployment` wins on overlap. @default none */
  readonly initFields?: CrDeployment;
  /** Any change of value triggers one savepoint while RUNNING. @default unset */
  readonly savepointNonce?: number;
  /** Any change of value triggers one job restart while RUNNING. @default unset */
  readonly restartNonce?: number;
  /** External savepoint registered when the deployment is created. @default none */
  readonly initialSavepointSpec?: InitialSavepointSpec;
  /** Secret in the CR's namespace holding the VVP API token under key `token`. @default none (annotation omitted) */
  readonly apikeySecretName?: string;
  /** Take over an existing VVP deployment of the same name that carries no owner stamp. @default false */
  readonly adopt?: boolean;
  /** Receives each validation warning once per synth. @default writes `Warning: [path] message` to stderr */
  readonly onWarning?: (message: string) => void;
}

/** One VVP deployment managed by the vvp-iac operator, as a `VvpDeployment` custom resource. */
export class VvpDeployment extends Construct {
  /** The emitted custom resource. */
  readonly resource: ApiObject;
  /** Kubernetes name of the CR. */
  readonly name: string;
  /** instanceId of the owning operator. */
  readonly instanceId: string;
  /** How spec changes are projected to VVP. */
  readonly syncingMode: SyncingMode;

  /** The CR as built at construction (a private deep copy of the props, made by core's builder). */
  private readonly built: VvpDeploymentCustomResource;
  private readonly onWarning: (message: string) => void;
  private readonly warned = new Set<string>();
  private savepoint: number | undefined;
  private restart: number | undefined;
  /** The spec for the nonces last asked for: synth and validation share it. */
  private rendered: { savepoint: number | undefined; restart: number | undefined; spec: VvpDeploymentSpec } | undefined;

  constructor(scope: Construct, id: string, props: VvpDeploymentProps) {
    super(scope, id);
    this.instanceId = props.instanceId;
    this.syncingMode = props.syncingMode ?? DEFAULT_SYNCING_MODE;
    this.savepoint = props.savepointNonce;
    this.restart = props.restartNonce;
    this.onWarning =
      props.onWarning ?? ((message) => process.stderr.write(`Warning: [${this.node.path}] ${message}\n`));
    this.name = props.metadata?.name ?? impliedResourceName(props.deployment) ?? Names.toDnsLabel(this);
    // Labels, annotations and spec come from core's buildCustomResource, the same builder as the Pulumi component.
    this.built = buildCustomResource({
      name: this.name,
      labels: props.metadata?.labels,
      annotations: props.metadata?.annotations,
      instanceId: props.instanceId,
      syncingMode: this.syncingMode,
      deployment: props.deployment,
      initFields: props.initFields,
      initialSavepointSpec: props.initialSavepointSpec,
      apikeySecretName: props.apikeySecretName,
      adopt: props.adopt,
      savepointNonce: this.savepoint,
      restartNonce: this.restart,
    });
    const initial = this.built;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: CUSTOM_RESOURCE_API_VERSION,
      kind: CUSTOM_RESOURCE.kind,
      metadata: {
        ...props.metadata,
        name: this.name,
        labels: initial.metadata.labels,
        annotations: initial.metadata.annotations ?? {},
      },
      // Rendered at synth, so nonce bumps after construction are included (cdk8s resolves into new objects).
      spec: Lazy.any({ produce: () => this.render() }),
    });

    this.node.addValidation({ validate: () => this.validateAtSynth() });
  }

  /** The savepoint nonce the CR carries. */
  get savepointNonce(): number | undefined {
    return this.savepoint;
  }

  /** The restart nonce the CR carries. */
  get restartNonce(): number | undefined {
    return this.restart;
  }

  /** Changes the savepoint nonce (unset becomes 1, else +1) so the operator triggers one savepoint; returns it. */
  bumpSavepoint(): number {
    this.savepoint = (this.savepoint ?? 0) + 1;
    return this.savepoint;
  }

  /** Changes the restart nonce (unset becomes 1, else +1) so the operator restarts the job once; returns it. */
  bumpRestart(): number {
    this.restart = (this.restart ?? 0) + 1;
    return this.restart;
  }

  /** Every problem core validation finds in the CR as it would be synthesized now (errors and warnings). */
  issues(): Issue[] {
    // The spec the Lazy renders and the metadata validation reads (name, namespace, owner label, as they are now),
    // without resolving the whole object a second time.
    const { metadata } = this.resource;
    const owner = metadata.getLabel(OWNER_LABEL);
    return validate(
      {
        metadata: {
          name: metadata.name ?? this.name,
          namespace: metadata.namespace,
          labels: owner === undefined ? {} : { [OWNER_LABEL]: owner },
        },
        spec: this.render(),
      },
      undefined,
      { operation: 'CREATE', instanceId: this.instanceId },
    );
  }

  /**
   * The spec for the current nonces. Nonces are the only part that changes after construction, so a bump swaps
   * them into the built spec (same key order as core's builder) instead of building the CR again.
   */
  private render(): VvpDeploymentSpec {
    const r = this.rendered;
    if (r && r.savepoint === this.savepoint && r.restart === this.restart) return r.spec;
    const built = this.built.spec;
    let spec = built;
    if (built.savepointNonce !== this.savepoint || built.restartNonce !== this.restart) {
      const { savepointNonce: _s, restartNonce: _r, initialSavepointSpec, ...head } = built;
      spec = { ...head };
      if (this.savepoint !== undefined) spec.savepointNonce = this.savepoint;
      if (this.restart !== undefined) spec.restartNonce = this.restart;
      if (initialSavepointSpec !== undefined) spec.initialSavepointSpec = initialSavepointSpec;
    }
    this.rendered = { savepoint: this.savepoint, restart: this.restart, spec };
    return spec;
  }

  private validateAtSynth(): string[] {
    const issues = this.issues();
    for (const warning of warningsOf(issues)) {
      const text = renderIssue(warning);
      if (this.warned.has(text)) continue;
      this.warned.add(text);
      this.onWarning(text);
    }
    return errorsOf(issues).map(renderIssue);
  }
}

/** One validation issue as synth prints it: field path and core message, as the admission webhook words it. */
export function renderIssue(issue: Issue): string {
  return `${issue.path}: ${issue.message}`;
}
