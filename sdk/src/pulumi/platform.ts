/**
 * The platform resources of vvp-iac/pulumi (dynamic provider): DeploymentTarget, SessionCluster, SecretValue,
 * DeploymentDefaults, Savepoint. Same inputs and behaviour as the native `vvp:index:*` types (schema.json), over the
 * same handlers (provider/src/platform); types `pulumi-nodejs:dynamic/vvp:<Name>`.
 */
import * as pulumi from '@pulumi/pulumi';
import { platformProvider } from '../../../provider/src/shell';
import { DEPLOYMENT_MODULE } from './deployment';

type In<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** What every platform resource takes besides its own inputs. */
export interface ConnectionArgs {
  /** VVP base URL. @default the `vvp:baseUrl` stack config, else VVP_URL */
  baseUrl?: string;
  /** VVP API token, stored as a secret. @default the `vvp:apiToken` stack config (secret), else VVP_API_TOKEN */
  apiToken?: string;
}

/** Bounded waits. */
export interface PlatformWaitFor {
  /** Wait for the state (session cluster). @default true */
  state?: boolean;
  /** @default 300 */
  timeoutSeconds?: number;
}

export type DeploymentTargetArgs = In<
  {
    name: string;
    namespace?: string;
    kubernetesNamespace: string;
    deploymentPatchSet?: unknown[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } & ConnectionArgs
>;
export type SessionClusterArgs = In<
  {
    name: string;
    namespace?: string;
    state?: 'RUNNING' | 'STOPPED';
    deploymentTargetName: string;
    flinkVersion?: string;
    flinkImageRegistry?: string;
    flinkImageRepository?: string;
    flinkImageTag?: string;
    engineVersionName?: string;
    numberOfTaskManagers?: number;
    resources?: Record<string, unknown>;
    flinkConfiguration?: Record<string, string>;
    logging?: Record<string, unknown>;
    kubernetes?: Record<string, unknown>;
    labels?: Record<string, string>;
    waitFor?: PlatformWaitFor;
  } & ConnectionArgs
>;
export type SecretValueArgs = In<
  { name: string; namespace?: string; kind?: string; value: string; valueVersion?: number } & ConnectionArgs
>;
export type DeploymentDefaultsArgs = In<{ namespace?: string; spec: Record<string, unknown> } & ConnectionArgs>;
export type SavepointArgs = In<
  {
    namespace?: string;
    deploymentName: string;
    savepointLocation?: string;
    deletionPolicy?: 'retain' | 'delete';
    waitFor?: PlatformWaitFor;
  } & ConnectionArgs
>;

/** Declares a dynamic platform resource: connection from the stack config, outputs, secrets. */
function declare(
  typeName: string,
  name: string,
  args: Record<string, unknown>,
  outputs: string[],
  secrets: string[],
  opts: pulumi.CustomResourceOptions,
): [pulumi.dynamic.ResourceProvider, string, Record<string, unknown>, pulumi.CustomResourceOptions, string, string] {
  const config = new pulumi.Config('vvp');
  const apiToken = args.apiToken ?? config.getSecret('apiToken');
  const props: Record<string, unknown> = {
    ...args,
    baseUrl: args.baseUrl ?? config.get('baseUrl'),
    apiToken: apiToken === undefined ? undefined : pulumi.secret(apiToken),
  };
  for (const key of secrets) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
  for (const key of outputs) props[key] = undefined;
  const additionalSecretOutputs = [...(opts.additionalSecretOutputs ?? []), 'apiToken', ...secrets];
  return [
    platformProvider(`vvp:index:${typeName}`),
    name,
    props,
    { ...opts, additionalSecretOutputs },
    DEPLOYMENT_MODULE,
    typeName,
  ];
}

/** A VVP deployment target (spec immutable: a change replaces it; destroy refused while referenced). */
export class DeploymentTarget extends pulumi.dynamic.Resource {
  declare readonly targetId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly namespace: pulumi.Output<string>;
  constructor(name: string, args: DeploymentTargetArgs, opts: pulumi.CustomResourceOptions = {}) {
    const [p, n, props, o, m, t] = declare('DeploymentTarget', name, args, ['targetId', 'resourceVersion'], [], opts);
    super(p, n, props, o, m, t);
  }
}

/** A VVP session cluster (RUNNING or STOPPED, bounded waits; stopped before destroy). */
export class SessionCluster extends pulumi.dynamic.Resource {
  declare readonly sessionClusterId: pulumi.Output<string>;
  declare readonly actualState: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  constructor(name: string, args: SessionClusterArgs, opts: pulumi.CustomResourceOptions = {}) {
    const outs = ['sessionClusterId', 'actualState', 'resourceVersion'];
    const [p, n, props, o, m, t] = declare('SessionCluster', name, args, outs, [], opts);
    super(p, n, props, o, m, t);
  }
}

/** A VVP secret value (write-only; `valueVersion` forces a rewrite). */
export class SecretValue extends pulumi.dynamic.Resource {
  declare readonly secretValueId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  constructor(name: string, args: SecretValueArgs, opts: pulumi.CustomResourceOptions = {}) {
    const outs = ['secretValueId', 'resourceVersion'];
    const [p, n, props, o, m, t] = declare('SecretValue', name, args, outs, ['value'], opts);
    super(p, n, props, o, m, t);
  }
}

/** The managed fields of a namespace's deployment defaults (destroy releases them). */
export class DeploymentDefaults extends pulumi.dynamic.Resource {
  declare readonly observedSpec: pulumi.Output<Record<string, unknown>>;
  constructor(name: string, args: DeploymentDefaultsArgs, opts: pulumi.CustomResourceOptions = {}) {
    const [p, n, props, o, m, t] = declare('DeploymentDefaults', name, args, ['observedSpec'], [], opts);
    super(p, n, props, o, m, t);
  }
}

/** A savepoint of a deployment: triggered or registered; waits for COMPLETED; retained on destroy by default. */
export class Savepoint extends pulumi.dynamic.Resource {
  declare readonly savepointId: pulumi.Output<string>;
  declare readonly location: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  constructor(name: string, args: SavepointArgs, opts: pulumi.CustomResourceOptions = {}) {
    const outs = ['savepointId', 'deploymentId', 'jobId', 'origin', 'state', 'location'];
    const [p, n, props, o, m, t] = declare('Savepoint', name, args, outs, [], opts);
    super(p, n, props, o, m, t);
  }
}
