/** vvp:index:DeploymentTarget against VVP: POST, PUT of the metadata, DELETE refused while referenced (409). */
import {
  DEPLOYMENT_TARGET_RULES,
  isConflict,
  isNotFound,
  messageOf,
  type VvpDeploymentTarget,
} from '../../../core/src/index';
import { outputsOf, present } from './handlers';
import { PlatformRefusedError, deploymentsWhere, type PlatformOp, type PlatformResource } from './operation';

function body(op: PlatformOp): VvpDeploymentTarget {
  const i = op.inputs;
  return {
    kind: 'DeploymentTarget',
    apiVersion: 'v1',
    metadata: {
      name: i.name as string,
      namespace: op.namespace,
      ...(i.labels ? { labels: i.labels as Record<string, string> } : {}),
      ...(i.annotations ? { annotations: i.annotations as Record<string, string> } : {}),
    },
    spec: {
      kubernetes: { namespace: i.kubernetesNamespace as string },
      ...(i.deploymentPatchSet ? { deploymentPatchSet: i.deploymentPatchSet as unknown[] } : {}),
    },
  };
}

const observed = (t: VvpDeploymentTarget) => ({
  targetId: t.metadata.id,
  resourceVersion: t.metadata.resourceVersion,
});

/** Who references the target: deployments and session clusters, by name or id. */
async function referencesOf(op: PlatformOp, name: string, id: string | undefined): Promise<string[]> {
  const byTarget = (spec: Record<string, unknown>) =>
    spec.deploymentTargetName === name || (id !== undefined && spec.deploymentTargetId === id);
  const deployments = (await deploymentsWhere(op, byTarget)).map((n) => `deployment ${n}`);
  const clusters = (await op.api.listSessionClusters(op.namespace))
    .filter((c) => byTarget(c.spec as Record<string, unknown>))
    .map((c) => `session cluster ${c.metadata.name}`);
  return [...deployments, ...clusters];
}

export const deploymentTarget: PlatformResource = {
  rules: DEPLOYMENT_TARGET_RULES,
  async create(op) {
    const name = op.inputs.name as string;
    let t: VvpDeploymentTarget;
    try {
      t = await op.api.createTarget(op.namespace, body(op));
    } catch (err) {
      if (!isConflict(err)) throw err;
      throw new PlatformRefusedError(
        `${op.subject}: a deployment target of this name exists in VVP already and is not managed by this stack; choose another name, or delete it in VVP first`,
        { cause: err },
      );
    }
    op.deps.log.info(`${op.subject}: created (Kubernetes namespace ${String(op.inputs.kubernetesNamespace)})`);
    return { id: t.metadata.id ?? name, outs: outputsOf(op.inputs, observed(t)) };
  },
  async read(op, id, props) {
    const t = await op.api.findTarget(op.namespace, op.inputs.name as string);
    if (!t) {
      op.deps.log.warn(
        `${op.subject}: no longer exists in VVP; it is removed from the stack and the next \`pulumi up\` creates it again`,
      );
      return { id: '' };
    }
    const inputs = {
      ...op.inputs,
      kubernetesNamespace: t.spec.kubernetes?.namespace,
      deploymentPatchSet: t.spec.deploymentPatchSet,
      labels: present(t.metadata.labels),
      annotations: present(t.metadata.annotations),
    };
    return { id, props: outputsOf({ ...props, ...inputs }, observed(t)), inputs: outputsOf(inputs, {}) };
  },
  async update(op) {
    const t = await op.api.putTarget(op.namespace, op.inputs.name as string, body(op));
    op.deps.log.info(`${op.subject}: updated its labels and annotations`);
    return { outs: outputsOf(op.inputs, observed(t)) };
  },
  async delete(op, id) {
    const name = op.inputs.name as string;
    try {
      await op.api.deleteTarget(op.namespace, name);
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      const users = await referencesOf(op, name, id).catch(() => [] as string[]);
      throw new PlatformRefusedError(
        `${op.subject}: VVP refuses to delete it while it is referenced${users.length ? ` by ${users.join(', ')}` : ` (${messageOf(err)})`}; ` +
          'delete or move those first (in one stack Pulumi deletes them first when they depend on the target)',
        { cause: err },
      );
    }
    op.deps.log.info(`${op.subject}: deleted`);
  },
};
