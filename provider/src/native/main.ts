/**
 * Entry of the `pulumi-resource-vvp` plugin: `pulumi-resource-vvp <engine-address> [--logtostderr] [-v=N]
 * [--tracing <endpoint>]`. Prints the port on the first stdout line, as the engine expects, then serves until the
 * engine stops the process. Started with no engine address it still serves (for `PULUMI_DEBUG_PROVIDERS=vvp:<port>`),
 * with messages on stderr until the engine attaches.
 */
import { loadPackageSchema } from './package-schema';
import { startServer } from './server';

/** The engine address among the plugin arguments (the first one that is no flag, nor a flag's value). */
export function engineAddressOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--tracing') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return undefined;
}

/** Serves the provider for the engine named in `args`. */
export async function main(args: readonly string[]): Promise<void> {
  // a failure outside an RPC is reported and the server keeps serving the engine
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`pulumi-resource-vvp: ${err instanceof Error ? err.message : String(err)}\n`);
  });
  const { schema, version } = loadPackageSchema();
  const engineAddress = engineAddressOf(args);
  const server = await startServer({ schema, version, ...(engineAddress ? { engineAddress } : {}) });
  process.stdout.write(`${server.port}\n`);
  const stop = () => void server.shutdown().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
