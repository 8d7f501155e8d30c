/**
 * The serialized part of the provider: a small object whose functions load the runtime lazily. Pulumi serializes
 * this object into every resource's state (`__provider`); it captures only the runtime module's path as a string,
 * never a module or a live client (ADR 0100).
 */
import type * as pulumi from '@pulumi/pulumi';

/** Absolute path of the runtime module, resolved when the program loads this file. */
const RUNTIME_MODULE: string = require.resolve('./runtime');

/** The runtime module's surface, as the shell uses it. */
interface RuntimeModule {
  configureRuntime(config: { get(key: string): string | undefined }): void;
  runtimePlatformHandlers(type: string): ReturnType<RuntimeModule['runtimeHandlers']>;
  runtimeHandlers(): {
    check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: unknown): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: unknown): Promise<void>;
  };
}

/** Loads the runtime from the path seen at program time, else from the installed package (the project moved). */
const loadRuntime = (): RuntimeModule => {
  try {
    // a lazy require by path is the point: an import would be serialized by value (ADR 0100)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(RUNTIME_MODULE) as RuntimeModule;
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('vvp-iac/pulumi') as RuntimeModule;
  }
};

/** The dynamic provider of vvp:Deployment. */
export const vvpDeploymentProvider: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => loadRuntime().configureRuntime(req.config),
  check: async (olds, news) => loadRuntime().runtimeHandlers().check(olds, news),
  diff: async (id, olds, news) => loadRuntime().runtimeHandlers().diff(id, olds, news),
  create: async (inputs) => loadRuntime().runtimeHandlers().create(inputs),
  read: async (id, props) => loadRuntime().runtimeHandlers().read(id, props),
  update: async (id, olds, news) => loadRuntime().runtimeHandlers().update(id, olds, news),
  delete: async (id, props) => loadRuntime().runtimeHandlers().delete(id, props),
};

/** The dynamic provider of a platform resource type (`vvp:index:SessionCluster`); only the type string is captured. */
export function platformProvider(type: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: async (req) => loadRuntime().configureRuntime(req.config),
    check: async (olds, news) => loadRuntime().runtimePlatformHandlers(type).check(olds, news),
    diff: async (id, olds, news) => loadRuntime().runtimePlatformHandlers(type).diff(id, olds, news),
    create: async (inputs) => loadRuntime().runtimePlatformHandlers(type).create(inputs),
    read: async (id, props) => loadRuntime().runtimePlatformHandlers(type).read(id, props),
    update: async (id, olds, news) => loadRuntime().runtimePlatformHandlers(type).update(id, olds, news),
    delete: async (id, props) => loadRuntime().runtimePlatformHandlers(type).delete(id, props),
  };
}
