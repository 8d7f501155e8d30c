/**
 * Test support for the native provider: a promise-based ResourceProvider client, a recording Engine (the Log RPC
 * the provider sends messages to) and Struct helpers.
 */
import * as grpc from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { EngineService } from '@pulumi/pulumi/proto/engine_grpc_pb';
import type { LogRequest } from '@pulumi/pulumi/proto/engine_pb';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';

export const struct = (v: Record<string, unknown>): Struct => Struct.fromJavaScript(v as never);

/** One message the provider sent to the engine. */
export interface LoggedMessage {
  severity: number;
  message: string;
  urn: string;
}

/** A real gRPC server implementing the Engine's Log RPC, recording every message. */
export async function startRecordingEngine(): Promise<{
  address: string;
  messages: LoggedMessage[];
  stop(): Promise<void>;
}> {
  const messages: LoggedMessage[] = [];
  const server = new grpc.Server();
  server.addService(EngineService, {
    log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      messages.push({
        severity: call.request.getSeverity(),
        message: call.request.getMessage(),
        urn: call.request.getUrn(),
      });
      cb(null, new Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    messages,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

type Method = keyof ResourceProviderClient;

/** A ResourceProvider client whose calls return promises; errors reject with the gRPC error. */
export function providerClient(port: number): {
  call<Res>(method: Method, req: unknown): Promise<Res>;
  close(): void;
} {
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call: <Res>(method: Method, req: unknown) =>
      new Promise<Res>((resolve, reject) => {
        (client[method] as (r: unknown, cb: (e: grpc.ServiceError | null, v: Res) => void) => void).call(
          client,
          req,
          (e, v) => (e ? reject(e) : resolve(v)),
        );
      }),
    close: () => client.close(),
  };
}
