/**
 * vvp:index:DeploymentDefaults against VVP: PATCH of the managed leaves only (others' fields stay), refresh reads
 * them back, destroy releases them (no write: VVP defaults cannot be deleted, and resetting could clobber others).
 */
import { DEPLOYMENT_DEFAULTS_RULES, deepMerge, managedLeaves, pickManaged } from '../../../core/src/index';
import { outputsOf } from './handlers';
import type { PlatformResource } from './operation';

const observedSpec = (vvp: { spec?: Record<string, unknown> }, managed: unknown) => ({
  observedSpec: pickManaged(vvp.spec ?? {}, managed),
});

export const deploymentDefaults: PlatformResource = {
  rules: DEPLOYMENT_DEFAULTS_RULES,
  async create(op) {
    const d = await op.api.patchDefaults(op.namespace, op.inputs.spec as Record<string, unknown>);
    op.deps.log.info(`${op.subject}: set ${managedLeaves(op.inputs.spec).join(', ')}`);
    return { id: op.namespace, outs: outputsOf(op.inputs, observedSpec(d, op.inputs.spec)) };
  },
  async read(op, id, props) {
    const d = await op.api.getDefaults(op.namespace);
    const spec = deepMerge(op.inputs.spec as Record<string, unknown>, pickManaged(d.spec ?? {}, op.inputs.spec));
    const inputs = { ...op.inputs, spec };
    return { id, props: outputsOf({ ...props, ...inputs }, observedSpec(d, spec)), inputs };
  },
  async update(op, _id, olds) {
    const released = managedLeaves(olds.spec).filter((p) => !managedLeaves(op.inputs.spec).includes(p));
    const d = await op.api.patchDefaults(op.namespace, op.inputs.spec as Record<string, unknown>);
    op.deps.log.info(`${op.subject}: set ${managedLeaves(op.inputs.spec).join(', ')}`);
    if (released.length > 0)
      op.deps.log.warn(`${op.subject}: no longer managed, left as VVP holds them: ${released.join(', ')}`);
    return { outs: outputsOf(op.inputs, observedSpec(d, op.inputs.spec)) };
  },
  async delete(op) {
    op.deps.log.info(
      `${op.subject}: released ${managedLeaves(op.inputs.spec).join(', ')}; VVP keeps their values (defaults are never reset by destroy)`,
    );
  },
};
