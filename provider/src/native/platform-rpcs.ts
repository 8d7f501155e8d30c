/**
 * The resource RPCs of the platform resources (DeploymentTarget, SessionCluster, SecretValue, DeploymentDefaults,
 * Savepoint) over the same platform handlers vvp-iac/pulumi uses. resource-rpcs.ts hands a call here when the URN's
 * type is one of them; vvp:index:Deployment keeps its own path. Import is not offered for these types.
 */
import * as prov from '@pulumi/pulumi/proto/provider_pb';
import { PLATFORM_RULES, VvpError, resolveInputs } from '../../../core/src/index';
import { ResourceInitError } from '../errors';
import type { Handlers } from '../handlers';
import { PROVIDER_KEY } from '../inputs';
import { platformHandlersFor } from '../platform/index';
import { handlerSources } from './config';
import { DiffKind, describeDiff, detailedDiff, topLevelKey } from './detailed-diff';
import { fromStruct, toStruct, without, type Props } from './props';
import type { InitFailure, RpcContext } from './resource-rpcs';

/** The resource type of a URN (`urn:pulumi:s::p::parent$vvp:index:SessionCluster::name` → its last type). */
export function typeOfUrn(urn: string): string {
  return (urn.split('::')[2] ?? '').split('$').pop() ?? '';
}

/** True when the URN names a platform resource. */
export const isPlatformUrn = (urn: string): boolean => PLATFORM_RULES[typeOfUrn(urn)] !== undefined;

const INJECTED = ['resourceUrn', PROVIDER_KEY];
const recorded = (props: Props) => toStruct(without(props, INJECTED));

function handlersFor(ctx: RpcContext, urn: string): Handlers {
  const sources = handlerSources(ctx.config(), ctx.env);
  return platformHandlersFor(typeOfUrn(urn), {
    clientFor: ctx.clientFor,
    log: ctx.logFor(urn),
    env: sources.env,
    config: () => sources.config,
  })!;
}

/** Secret inputs of the type (never shown in a diff line). */
const secretKeys = (urn: string): Set<string> =>
  new Set(
    Object.entries(PLATFORM_RULES[typeOfUrn(urn)]!.fields)
      .filter(([, r]) => r.secret)
      .map(([k]) => k),
  );

async function recording<T>(fn: () => Promise<T>, Failure: typeof InitFailure): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ResourceInitError) throw new Failure(err.message, err.id, recorded(err.properties), err.reasons);
    throw err;
  }
}

export async function check(ctx: RpcContext, req: prov.CheckRequest): Promise<prov.CheckResponse> {
  const news = fromStruct(req.getNews());
  const result = await handlersFor(ctx, req.getUrn()).check(fromStruct(req.getOlds()), news);
  const resp = new prov.CheckResponse().setInputs(toStruct(news));
  resp.setFailuresList(result.failures.map((f) => new prov.CheckFailure().setProperty(f.property).setReason(f.reason)));
  return resp;
}

export async function diff(ctx: RpcContext, req: prov.DiffRequest): Promise<prov.DiffResponse> {
  const urn = req.getUrn();
  const olds = fromStruct(req.getOlds());
  const news = fromStruct(req.getNews());
  const result = await handlersFor(ctx, urn).diff(req.getId(), olds, news);
  const resp = new prov.DiffResponse().setHasdetaileddiff(true);
  if (!result.changes) return resp.setChanges(prov.DiffResponse.DiffChanges.DIFF_NONE);
  // the inputs with the table's defaults on both sides: an absent value and its default are no change
  const pick = (p: Props) => resolveInputs(PLATFORM_RULES[typeOfUrn(urn)]!, p);
  const before = pick(req.getOldInputs() ? fromStruct(req.getOldInputs()) : olds);
  const after = pick(news);
  const dd = detailedDiff(before, after, { replace: false, fallbackKeys: result.diffs ?? [] });
  for (const [path, kind] of dd.detailed) {
    if (!result.replaces.includes(topLevelKey(path))) continue;
    dd.detailed.set(
      path,
      kind === DiffKind.ADD
        ? DiffKind.ADD_REPLACE
        : kind === DiffKind.DELETE
          ? DiffKind.DELETE_REPLACE
          : DiffKind.UPDATE_REPLACE,
    );
  }
  const subject = `${typeOfUrn(urn).replace('vvp:index:', '')} ${urn.split('::').pop() ?? ''}`;
  ctx.logFor(urn).info(`${subject}: ${describeDiff(dd, before, after, secretKeys(urn)).join('; ')}`);
  resp.setChanges(prov.DiffResponse.DiffChanges.DIFF_SOME);
  resp.setReplacesList(result.replaces);
  resp.setDeletebeforereplace(result.deleteBeforeReplace);
  resp.setDiffsList(dd.diffs);
  for (const [path, kind] of dd.detailed)
    resp
      .getDetaileddiffMap()
      .set(path, new prov.PropertyDiff().setKind(kind as number as prov.PropertyDiff.Kind).setInputdiff(true));
  return resp;
}

export async function create(
  ctx: RpcContext,
  req: prov.CreateRequest,
  Failure: typeof InitFailure,
): Promise<prov.CreateResponse> {
  const props = fromStruct(req.getProperties());
  const result = await recording(() => handlersFor(ctx, req.getUrn()).create(props), Failure);
  return new prov.CreateResponse().setId(result.id).setProperties(recorded(result.outs));
}

export async function read(ctx: RpcContext, req: prov.ReadRequest): Promise<prov.ReadResponse> {
  const urn = req.getUrn();
  const props = fromStruct(req.getProperties());
  if (Object.keys(props).length === 0)
    throw new VvpError(
      `${typeOfUrn(urn)}: import is not supported for this resource type; declare it in the program instead`,
    );
  const result = await handlersFor(ctx, urn).read(req.getId(), props);
  const resp = new prov.ReadResponse();
  if (!result.id || !result.props) return resp;
  return resp
    .setId(result.id)
    .setProperties(recorded(result.props))
    .setInputs(recorded(result.inputs ?? {}));
}

export async function update(
  ctx: RpcContext,
  req: prov.UpdateRequest,
  Failure: typeof InitFailure,
): Promise<prov.UpdateResponse> {
  const olds = fromStruct(req.getOlds());
  const news = fromStruct(req.getNews());
  const result = await recording(() => handlersFor(ctx, req.getUrn()).update(req.getId(), olds, news), Failure);
  return new prov.UpdateResponse().setProperties(recorded(result.outs));
}

export async function remove(ctx: RpcContext, req: prov.DeleteRequest): Promise<void> {
  await handlersFor(ctx, req.getUrn()).delete(req.getId(), fromStruct(req.getProperties()));
}
