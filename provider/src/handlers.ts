/**
 * The ResourceProvider functions of vvp:Deployment over plain inputs: check, diff, create, read, update, delete.
 * check and diff are pure (check.ts, diff.ts); each lifecycle call has its own module over one operation context
 * and the shared VVP workflows. Dependencies (client factory, log, clock, environment, config) are injected.
 */
import { checkInputs, type CheckFailure } from './check';
import { createResource } from './create';
import { deleteResource } from './delete';
import { diffInputs, type DiffResult } from './diff';
import { subjectOf } from './inputs';
import { operationFor, type HandlerDeps } from './operation';
import { readResource } from './read';
import { updateResource } from './update';
import { sessionClusterWarning } from './session-cluster-ref';

export type { CheckFailure } from './check';
export type { HandlerDeps } from './operation';
export { PROVIDER_KEY, UNKNOWN } from './inputs';

/** The six provider functions. */
export interface Handlers {
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }>;
  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** Creates the provider functions over injected dependencies. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    async check(olds, news) {
      const { inputs, failures, warnings } = checkInputs(olds, news);
      if (failures.length === 0) {
        const missing = await sessionClusterWarning(deps, news, subjectOf(news));
        if (missing) warnings.push(missing);
      }
      for (const w of warnings) deps.log.warn(w);
      return { inputs, failures };
    },
    async diff(_id, olds, news) {
      const { result, change, recovery } = diffInputs(olds, news);
      if (change !== 'none') deps.log.info(`${subjectOf(news)}: change ${change}`);
      if (recovery) deps.log.warn(recovery);
      return result;
    },
    create: async (props) => createResource(operationFor(deps, props), props),
    read: async (id, props) => readResource(operationFor(deps, props), id, props),
    update: async (id, olds, news) => updateResource(operationFor(deps, news), id, olds, news),
    delete: async (id, props) => deleteResource(operationFor(deps, props), id),
  };
}
