/**
 * The resource RPCs of vvp:index:Deployment (Check, Diff, Create, Read, Update, Delete) over the same handlers the
 * dynamic provider uses. The URN the engine sends is the ownership stamp (`resourceUrn`, injected for each call and
 * never recorded) and tags every log message.
 */
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import * as prov from '@pulumi/pulumi/proto/provider_pb';
import type { VvpClient } from '../../../vvp-client/src/index';
import { resolveConnection, type Connection } from '../connection';
import { PROVIDER_KEY, createHandlers, type Handlers } from '../handlers';
import { ResourceInitError } from '../errors';
import { SETTING_KEYS } from '../types';
import type { ProviderLog } from '../wait';
import { handlerSources, type ProviderConfig } from './config';
import { describeDiff, detailedDiff } from './detailed-diff';
import { findImported, importedProps, isImport, parseImportId } from './import';
import * as platform from './platform-rpcs';
import { withProgress } from './progress';
import { fromStruct, toStruct, without, type Props } from './props';

/** Keys that only this server adds; never in what the engine records. */
const INJECTED = ['resourceUrn', PROVIDER_KEY];
/** The inputs of vvp:index:Deployment (schema.json inputProperties). */
const INPUT_KEYS = ['syncingMode', 'deployment', 'initFields', 'savepointNonce', 'restartNonce', ...SETTING_KEYS];

/** What the resource RPCs need from the server. */
export interface RpcContext {
  config(): ProviderConfig;
  env: Record<string, string | undefined>;
  clientFor(connection: Connection): VvpClient;
  logFor(urn: string): ProviderLog;
  /** Interval of progress lines during long operations. @default 10 s */
  progressMs?: number;
}

function handlersFor(ctx: RpcContext, urn: string): Handlers {
  const sources = handlerSources(ctx.config(), ctx.env);
  return createHandlers({
    clientFor: ctx.clientFor,
    log: ctx.logFor(urn),
    env: sources.env,
    config: () => sources.config,
  });
}

const subjectOf = (props: Props): string => {
  const d = (props.deployment ?? {}) as Props;
  const metadata = (d.metadata ?? d.userMetadata ?? {}) as Props;
  return `deployment ${String(metadata.namespace ?? 'default')}/${String(metadata.name ?? '?')}`;
};
const withUrn = (props: Props, urn: string): Props => ({ ...props, resourceUrn: urn });
const recorded = (props: Props): Struct => toStruct(without(props, INJECTED));
const pick = (props: Props, keys: readonly string[]): Props =>
  Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

/** Runs a long handler call with a progress line every interval (VVP's state read by name). */
function progressing<T>(ctx: RpcContext, urn: string, action: string, props: Props, fn: () => Promise<T>): Promise<T> {
  const d = (props.deployment ?? {}) as Props;
  const metadata = (d.metadata ?? d.userMetadata ?? {}) as Props;
  const namespace = String(metadata.namespace ?? 'default');
  const name = String(metadata.name ?? '');
  const waitFor = (props.waitFor ?? {}) as { timeoutSeconds?: number };
  return withProgress(
    {
      log: ctx.logFor(urn),
      subject: subjectOf(props),
      action,
      timeoutSeconds: waitFor.timeoutSeconds,
      ...(ctx.progressMs !== undefined ? { intervalMs: ctx.progressMs } : {}),
      probe: async () => {
        const sources = handlerSources(ctx.config(), ctx.env);
        const connection = resolveConnection(pick(props, ['baseUrl', 'apiToken']), {
          env: sources.env,
          config: sources.config,
          subject: subjectOf(props),
        });
        return (await ctx.clientFor(connection).findDeployment(namespace, name))?.status?.state;
      },
    },
    fn,
  );
}

/** A partial failure as the engine records it: the resource exists, with these outputs. */
export class InitFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Struct,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** Runs a handler that may fail after VVP accepted the write; the failure then carries what to record. */
async function recording<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ResourceInitError) {
      throw new InitFailure(err.message, err.id, recorded(err.properties), err.reasons);
    }
    throw err;
  }
}

export async function check(ctx: RpcContext, req: prov.CheckRequest): Promise<prov.CheckResponse> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.check(ctx, req);
  const news = fromStruct(req.getNews());
  const result = await handlersFor(ctx, urn).check(fromStruct(req.getOlds()), news);
  const resp = new prov.CheckResponse();
  resp.setInputs(toStruct(news));
  resp.setFailuresList(
    result.failures.map((f) => {
      const failure = new prov.CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(f.reason);
      return failure;
    }),
  );
  return resp;
}

export async function diff(ctx: RpcContext, req: prov.DiffRequest): Promise<prov.DiffResponse> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.diff(ctx, req);
  const olds = fromStruct(req.getOlds());
  const news = fromStruct(req.getNews());
  const result = await handlersFor(ctx, urn).diff(req.getId(), withUrn(olds, urn), withUrn(news, urn));
  const resp = new prov.DiffResponse();
  resp.setHasdetaileddiff(true);
  if (!result.changes) {
    resp.setChanges(prov.DiffResponse.DiffChanges.DIFF_NONE);
    return resp;
  }
  if (result.diffs) {
    // only the job's end (FAILED, FINISHED while RUNNING is desired) makes the change; the handlers warned already
    resp.setChanges(prov.DiffResponse.DiffChanges.DIFF_SOME);
    resp.setStablesList(result.stables.filter((k) => !INJECTED.includes(k)));
    resp.setDiffsList(result.diffs);
    for (const key of result.diffs) {
      const pd = new prov.PropertyDiff();
      pd.setKind(prov.PropertyDiff.Kind.UPDATE);
      pd.setInputdiff(false);
      resp.getDetaileddiffMap().set(key, pd);
    }
    return resp;
  }
  const oldInputs = req.getOldInputs() ? fromStruct(req.getOldInputs()) : pick(olds, INPUT_KEYS);
  const processed = (kind: 'Savepoint' | 'Restart', key: string) => olds[`lastProcessed${kind}Nonce`] ?? olds[key];
  const fallbackKeys = [
    ...(news.savepointNonce !== processed('Savepoint', 'savepointNonce') ? ['savepointNonce'] : []),
    ...(news.restartNonce !== processed('Restart', 'restartNonce') ? ['restartNonce'] : []),
  ];
  const before = pick(oldInputs, INPUT_KEYS);
  const after = pick(news, INPUT_KEYS);
  const dd = detailedDiff(before, after, {
    replace: result.replaces.length > 0,
    fallbackKeys: fallbackKeys.length > 0 ? fallbackKeys : ['deployment'],
  });
  ctx.logFor(urn).info(`${subjectOf(news)}: ${describeDiff(dd, before, after).join('; ')}`);
  resp.setChanges(prov.DiffResponse.DiffChanges.DIFF_SOME);
  resp.setReplacesList(result.replaces);
  resp.setStablesList(result.stables.filter((k) => !INJECTED.includes(k)));
  resp.setDeletebeforereplace(result.deleteBeforeReplace);
  resp.setDiffsList(dd.diffs);
  const map = resp.getDetaileddiffMap();
  for (const [path, kind] of dd.detailed) {
    const pd = new prov.PropertyDiff();
    pd.setKind(kind as number as prov.PropertyDiff.Kind);
    pd.setInputdiff(true);
    map.set(path, pd);
  }
  return resp;
}

export async function create(ctx: RpcContext, req: prov.CreateRequest): Promise<prov.CreateResponse> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.create(ctx, req, InitFailure);
  const props = fromStruct(req.getProperties());
  const result = await progressing(ctx, urn, 'creating', props, () =>
    recording(() => handlersFor(ctx, urn).create(withUrn(props, urn))),
  );
  const resp = new prov.CreateResponse();
  resp.setId(result.id);
  resp.setProperties(recorded(result.outs));
  return resp;
}

export async function read(ctx: RpcContext, req: prov.ReadRequest): Promise<prov.ReadResponse> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.read(ctx, req);
  let id = req.getId();
  let props = fromStruct(req.getProperties());
  const handlers = handlersFor(ctx, urn);
  const resp = new prov.ReadResponse();
  if (isImport(props)) {
    const target = parseImportId(id);
    const sources = handlerSources(ctx.config(), ctx.env);
    const client = ctx.clientFor(
      resolveConnection({}, { env: sources.env, config: sources.config, subject: `import of ${id}` }),
    );
    const found = await findImported(client, target);
    // no properties: the engine reports "resource '<id>' does not exist"
    if (!found) return resp;
    id = found.metadata.id;
    props = { ...importedProps(found), ...pick(fromStruct(req.getInputs()), SETTING_KEYS) };
  }
  const result = await handlers.read(id, withUrn(props, urn));
  if (!result.id || !result.props) return resp;
  resp.setId(result.id);
  resp.setProperties(recorded(result.props));
  resp.setInputs(recorded(result.inputs ?? pick(result.props, INPUT_KEYS)));
  return resp;
}

export async function update(ctx: RpcContext, req: prov.UpdateRequest): Promise<prov.UpdateResponse> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.update(ctx, req, InitFailure);
  const olds = fromStruct(req.getOlds());
  const news = fromStruct(req.getNews());
  const result = await recording(() =>
    handlersFor(ctx, urn).update(req.getId(), withUrn(olds, urn), withUrn(news, urn)),
  );
  const resp = new prov.UpdateResponse();
  resp.setProperties(recorded(result.outs));
  return resp;
}

export async function remove(ctx: RpcContext, req: prov.DeleteRequest): Promise<void> {
  const urn = req.getUrn();
  if (platform.isPlatformUrn(urn)) return platform.remove(ctx, req);
  const props = fromStruct(req.getProperties());
  await progressing(ctx, urn, 'deleting', props, () => handlersFor(ctx, urn).delete(req.getId(), withUrn(props, urn)));
}
