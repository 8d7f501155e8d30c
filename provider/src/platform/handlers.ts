/**
 * The six provider functions of a platform resource over its rules (core/src/platform) and its VVP calls: the
 * same functions serve the native provider and the dynamic classes of vvp-iac/pulumi.
 */
import { checkPlatform, diffPlatform, getPath } from '../../../core/src/index';
import type { DiffResult } from '../diff';
import type { Handlers } from '../handlers';
import { hasUnknown, PROVIDER_KEY } from '../inputs';
import type { HandlerDeps } from '../operation';
import { platformOpFor, type PlatformResource } from './operation';

/** Keys the providers add to a property bag (the URN stamp, the serialized dynamic provider). */
const INJECTED = ['resourceUrn', PROVIDER_KEY];

/** The resource's outputs: the given inputs echoed (diff sees old outputs), then what VVP reported. */
export function outputsOf(inputs: Record<string, unknown>, observed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...inputs, ...observed };
  for (const [k, v] of Object.entries(out)) if (v === undefined || v === null) delete out[k];
  return out;
}

/** A map VVP reports, or undefined when empty (VVP answers `{}` for labels nobody set: no drift). */
export const present = <T extends object>(m: T | undefined): T | undefined =>
  m !== undefined && Object.keys(m).length > 0 ? m : undefined;

/** The handlers of one platform resource. */
export function createPlatformHandlers(resource: PlatformResource, deps: HandlerDeps): Handlers {
  const { rules } = resource;
  const opFor = (props: Record<string, unknown>) => platformOpFor(deps, rules, props);
  return {
    async check(_olds, news) {
      const issues = checkPlatform(rules, news, INJECTED).filter((i) => !hasUnknown(getPath(news, i.path)));
      for (const w of issues.filter((i) => i.severity === 'warning')) deps.log.warn(w.message);
      return {
        inputs: news,
        failures: issues.filter((i) => i.severity === 'error').map((i) => ({ property: i.path, reason: i.message })),
      };
    },
    async diff(_id, olds, news): Promise<DiffResult> {
      const d = diffPlatform(rules, olds, news);
      return {
        changes: d.changed.length > 0,
        replaces: d.replaces,
        stables: [],
        deleteBeforeReplace: d.deleteBeforeReplace,
        ...(d.changed.length > 0 ? { diffs: d.changed } : {}),
      };
    },
    create: async (props) => resource.create(opFor(props)),
    read: async (id, props) => resource.read(opFor(props), id, props),
    async update(id, olds, news) {
      const op = opFor(news);
      const d = diffPlatform(rules, olds, news);
      // only settings changed (connection, waits, deletion policy): nothing to write to VVP
      if (d.settingsOnly) {
        const kept = Object.fromEntries(Object.entries(olds).filter(([k]) => !(k in rules.fields)));
        return { outs: outputsOf(op.inputs, kept) };
      }
      return resource.update(op, id, olds);
    },
    delete: async (id, props) => resource.delete(opFor(props), id, props),
  };
}
