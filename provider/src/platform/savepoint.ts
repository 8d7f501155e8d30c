/**
 * vvp:index:Savepoint against VVP: trigger a savepoint of a RUNNING deployment, or register an external location
 * (origin COPIED); wait for COMPLETED. destroy: deletionPolicy retain (default) keeps it, delete removes it where
 * VVP offers DELETE /savepoints/{id} (VVP 2.4 answers 405: refused with the fix).
 */
import {
  SAVEPOINT_RULES,
  SPEC_VERSION_ANNOTATION,
  errorFacts,
  isNotFound,
  messageOf,
  type VvpSavepoint,
} from '../../../core/src/index';
import { ResourceInitError } from '../errors';
import { waitForSavepoint } from '../wait';
import { outputsOf } from './handlers';
import { PlatformRefusedError, type PlatformOp, type PlatformResource } from './operation';

/** Statuses by which a VVP says it cannot delete savepoints. */
const NO_DELETE = [404, 405];

const observed = (sp: VvpSavepoint) => ({
  savepointId: sp.metadata.id,
  deploymentId: sp.metadata.deploymentId,
  jobId: sp.metadata.jobId,
  origin: sp.metadata.origin,
  state: sp.status?.state ?? 'UNKNOWN',
  location: sp.spec?.savepointLocation,
});

async function deploymentOf(op: PlatformOp) {
  const name = op.inputs.deploymentName as string;
  const d = await op.client.findDeployment(op.namespace, name);
  if (!d)
    throw new PlatformRefusedError(
      `${op.subject}: deployment ${op.namespace}/${name} does not exist in VVP; create it first (or fix \`deploymentName\`)`,
    );
  return d;
}

export const savepoint: PlatformResource = {
  rules: SAVEPOINT_RULES,
  async create(op) {
    const d = await deploymentOf(op);
    const location = op.inputs.savepointLocation as string | undefined;
    let sp: VvpSavepoint;
    if (location !== undefined) {
      const version = d.metadata.annotations?.[SPEC_VERSION_ANNOTATION] ?? String(d.metadata.resourceVersion ?? 1);
      sp = await op.api.registerSavepoint(op.namespace, d.metadata.id, version, location);
      op.deps.log.info(`${op.subject}: registered ${location} as savepoint ${sp.metadata.id}`);
    } else {
      if (d.status?.state !== 'RUNNING')
        throw new PlatformRefusedError(
          `${op.subject}: the deployment is ${d.status?.state ?? 'in an unknown state'}; VVP takes a savepoint only of a RUNNING deployment. Start it (spec.state RUNNING) first, or set \`savepointLocation\` to register an existing savepoint`,
        );
      sp = await op.api.triggerSavepoint(op.namespace, d.metadata.id);
      op.deps.log.info(`${op.subject}: triggered savepoint ${sp.metadata.id}`);
    }
    try {
      sp = await waitForSavepoint(op.wait, op.namespace, sp, { deadline: op.deadline });
    } catch (err) {
      // the savepoint exists in VVP: recorded, so a later destroy follows its deletionPolicy
      throw new ResourceInitError(
        messageOf(err),
        sp.metadata.id,
        outputsOf(op.inputs, observed(sp)),
        [messageOf(err)],
        {
          cause: err,
        },
      );
    }
    return { id: sp.metadata.id, outs: outputsOf(op.inputs, observed(sp)) };
  },
  async read(op, id, props) {
    const sp = await op.api.findSavepoint(op.namespace, id);
    if (!sp || ['PENDING_DELETION', 'DELETING'].includes(sp.status?.state ?? '')) {
      op.deps.log.warn(`${op.subject}: savepoint ${id} no longer exists in VVP; it is removed from the stack`);
      return { id: '' };
    }
    return { id, props: outputsOf(props, observed(sp)), inputs: op.inputs };
  },
  // only settings reach update (every other input replaces)
  update: async (op, _id, olds) => ({ outs: outputsOf(op.inputs, olds) }),
  async delete(op, id) {
    if (op.inputs.deletionPolicy !== 'delete') {
      op.deps.log.info(`${op.subject}: deletionPolicy retain: savepoint ${id} stays in VVP`);
      return;
    }
    try {
      await op.api.deleteSavepoint(op.namespace, id);
    } catch (err) {
      const status = errorFacts(err)?.status;
      if (status === 404 && isNotFound(err) && !(await op.api.findSavepoint(op.namespace, id))) return;
      if (status !== undefined && NO_DELETE.includes(status))
        throw new PlatformRefusedError(
          `${op.subject}: this VVP cannot delete savepoints (DELETE /savepoints/${id} answered ${status}); set deletionPolicy to "retain" and run \`pulumi up\`, then destroy again (the savepoint stays in VVP)`,
          { cause: err },
        );
      throw err;
    }
    op.deps.log.info(`${op.subject}: deleted savepoint ${id} (VVP moves it through its deletion states)`);
  },
};
