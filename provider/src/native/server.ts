/**
 * The native vvp provider: a gRPC ResourceProvider server on the stubs @pulumi/pulumi ships. It answers the
 * engine for GetPluginInfo, GetSchema, CheckConfig, DiffConfig, Configure, the resource RPCs (resource-rpcs.ts),
 * Cancel and Attach; other RPCs answer UNIMPLEMENTED, which the engine handles. Expected failures reach the CLI as
 * one message, without a stack trace; a failure after VVP accepted a write is reported as a partial create/update
 * so the engine records the resource.
 */
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Status } from '@pulumi/pulumi/proto/status_pb';
import * as plugin from '@pulumi/pulumi/proto/plugin_pb';
import * as prov from '@pulumi/pulumi/proto/provider_pb';
import { ResourceProviderService } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { createVvpClient, type VvpClient } from '../../../vvp-client/src/index';
import type { Connection } from '../connection';
import { CONFIG_KEYS, checkConfig, readConfigure, type ProviderConfig } from './config';
import { createEngineLog, type EngineLog, type Severity } from './engine-log';
import { fromStruct, toStruct } from './props';
import * as rpcs from './resource-rpcs';

/** What the server needs; every field but `schema` and `version` has a production default. */
export interface ServerOptions {
  /** Served by GetSchema. */
  schema: string;
  /** Reported by GetPluginInfo. */
  version: string;
  /** The engine's gRPC address (argv[1]); messages go through its Log RPC. */
  engineAddress?: string;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** @default the real VVP client */
  clientFor?: (connection: Connection) => VvpClient;
  /** Interval of progress lines during long operations. @default 10 s */
  progressMs?: number;
  /** Where messages go without an engine. @default stderr */
  fallbackLog?: (severity: Severity, message: string) => void;
}

/** A running server. */
export interface RunningServer {
  port: number;
  /** Stops accepting calls and closes the engine connection. */
  shutdown(): Promise<void>;
}

/** Maximum gRPC message size, as the Pulumi SDK sets it. */
const MAX_MESSAGE = 400 * 1024 * 1024;

function grpcError(err: unknown): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  const metadata = new grpc.Metadata();
  if (err instanceof rpcs.InitFailure) {
    const detail = new prov.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(err.properties);
    detail.setReasonsList(err.reasons);
    const any = new Any();
    any.pack(detail.serializeBinary(), 'pulumirpc.ErrorResourceInitFailed');
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** The ResourceProvider implementation (exported for in-process tests). */
export function createProviderImplementation(options: ServerOptions): {
  impl: grpc.UntypedServiceImplementation;
  log: () => EngineLog;
} {
  const env = options.env ?? process.env;
  const fallback =
    options.fallbackLog ?? ((severity: Severity, message: string) => process.stderr.write(`${severity}: ${message}\n`));
  let log = createEngineLog(options.engineAddress, fallback);
  let config: ProviderConfig = {};
  const ctx: rpcs.RpcContext = {
    config: () => config,
    env,
    clientFor:
      options.clientFor ?? ((c) => createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}) })),
    logFor: (urn) => log.forUrn(urn),
    ...(options.progressMs !== undefined ? { progressMs: options.progressMs } : {}),
  };

  /** Wraps an async RPC: its messages are flushed before the answer, its error becomes a gRPC error. */
  const unary =
    <Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> =>
    (call, callback) => {
      fn(call.request).then(
        async (res) => {
          await log.flush();
          callback(null, res);
        },
        async (err: unknown) => {
          await log.flush();
          callback(grpcError(err));
        },
      );
    };

  const impl: grpc.UntypedServiceImplementation = {
    getPluginInfo: unary<Empty, plugin.PluginInfo>(async () => new plugin.PluginInfo().setVersion(options.version)),
    getSchema: unary<prov.GetSchemaRequest, prov.GetSchemaResponse>(async () =>
      new prov.GetSchemaResponse().setSchema(options.schema),
    ),
    checkConfig: unary<prov.CheckRequest, prov.CheckResponse>(async (req) => {
      const news = fromStruct(req.getNews());
      const resp = new prov.CheckResponse().setInputs(req.getNews() ?? toStruct({}));
      resp.setFailuresList(
        checkConfig(news).map((f) => new prov.CheckFailure().setProperty(f.property).setReason(f.reason)),
      );
      return resp;
    }),
    diffConfig: unary<prov.DiffRequest, prov.DiffResponse>(async (req) => {
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      const changed = CONFIG_KEYS.filter((k) => (olds[k] ?? '') !== (news[k] ?? ''));
      const resp = new prov.DiffResponse().setHasdetaileddiff(true).setDiffsList(changed);
      resp.setChanges(
        changed.length > 0 ? prov.DiffResponse.DiffChanges.DIFF_SOME : prov.DiffResponse.DiffChanges.DIFF_NONE,
      );
      for (const k of changed) {
        resp
          .getDetaileddiffMap()
          .set(k, new prov.PropertyDiff().setKind(prov.PropertyDiff.Kind.UPDATE).setInputdiff(true));
      }
      return resp;
    }),
    configure: unary<prov.ConfigureRequest, prov.ConfigureResponse>(async (req) => {
      config = readConfigure(fromStruct(req.getArgs()), Object.fromEntries(req.getVariablesMap().getEntryList()));
      // acceptSecrets=false: the engine strips secrets before sending and re-marks them by key in what we return
      return new prov.ConfigureResponse()
        .setAcceptsecrets(false)
        .setSupportspreview(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false);
    }),
    check: unary((req: prov.CheckRequest) => rpcs.check(ctx, req)),
    diff: unary((req: prov.DiffRequest) => rpcs.diff(ctx, req)),
    create: unary((req: prov.CreateRequest) => rpcs.create(ctx, req)),
    read: unary((req: prov.ReadRequest) => rpcs.read(ctx, req)),
    update: unary((req: prov.UpdateRequest) => rpcs.update(ctx, req)),
    delete: unary(async (req: prov.DeleteRequest) => {
      await rpcs.remove(ctx, req);
      return new Empty();
    }),
    // waits are bounded by waitFor.timeoutSeconds; the engine stops the process after Cancel
    cancel: unary<Empty, Empty>(async () => new Empty()),
    attach: unary<plugin.PluginAttach, Empty>(async (req) => {
      log.close();
      log = createEngineLog(req.getAddress(), fallback);
      return new Empty();
    }),
  };
  return { impl, log: () => log };
}

/** Starts the server on 127.0.0.1 with an OS-chosen port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
  const { impl, log } = createProviderImplementation(options);
  server.addService(ResourceProviderService, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    shutdown: async () => {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      log().close();
    },
  };
}
