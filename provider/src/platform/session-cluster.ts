/**
 * vvp:index:SessionCluster against VVP: POST then a bounded wait for the state; an edit PATCHes the managed spec
 * fields (VVP moves a running cluster through UPDATING); destroy stops the cluster first, and VVP refuses it (409)
 * while a deployment uses the cluster.
 */
import {
  SESSION_CLUSTER_RULES,
  SESSION_CLUSTER_SPEC_KEYS,
  isConflict,
  isNotFound,
  messageOf,
  type SessionClusterSpec,
  type VvpSessionCluster,
} from '../../../core/src/index';
import { ResourceInitError } from '../errors';
import { outputsOf, present } from './handlers';
import { PlatformRefusedError, deploymentsWhere, type PlatformOp, type PlatformResource } from './operation';
import { waitForCluster } from './wait';

const specOf = (inputs: Record<string, unknown>): SessionClusterSpec => {
  const spec: Record<string, unknown> = {};
  for (const k of SESSION_CLUSTER_SPEC_KEYS) if (inputs[k] !== undefined) spec[k] = inputs[k];
  return spec as SessionClusterSpec;
};

const observed = (c: VvpSessionCluster) => ({
  sessionClusterId: c.metadata.id,
  actualState: c.status?.state ?? 'UNKNOWN',
  resourceVersion: c.metadata.resourceVersion,
});

const waits = (op: PlatformOp) => (op.inputs.waitFor as { state?: boolean } | undefined)?.state !== false;

/** Waits for the spec state; a failed wait still records the cluster (it exists in VVP). */
async function settle(op: PlatformOp, c: VvpSessionCluster): Promise<VvpSessionCluster> {
  if (!waits(op)) return c;
  try {
    return await waitForCluster(
      op,
      op.inputs.name as string,
      (op.inputs.state as 'RUNNING' | 'STOPPED') ?? 'RUNNING',
      c,
    );
  } catch (err) {
    const id = c.metadata.id ?? (op.inputs.name as string);
    throw new ResourceInitError(messageOf(err), id, outputsOf(op.inputs, observed(c)), [messageOf(err)], {
      cause: err,
    });
  }
}

export const sessionCluster: PlatformResource = {
  rules: SESSION_CLUSTER_RULES,
  async create(op) {
    const name = op.inputs.name as string;
    let c: VvpSessionCluster;
    try {
      c = await op.api.createSessionCluster(op.namespace, {
        kind: 'SessionCluster',
        apiVersion: 'v1',
        metadata: {
          name,
          namespace: op.namespace,
          ...(op.inputs.labels ? { labels: op.inputs.labels as Record<string, string> } : {}),
        },
        spec: specOf(op.inputs),
      });
    } catch (err) {
      if (!isConflict(err)) throw err;
      throw new PlatformRefusedError(
        `${op.subject}: a session cluster of this name exists in VVP already and is not managed by this stack; choose another name, or delete it in VVP first`,
        { cause: err },
      );
    }
    op.deps.log.info(`${op.subject}: created (state ${String(op.inputs.state)})`);
    c = await settle(op, c);
    return { id: c.metadata.id ?? name, outs: outputsOf(op.inputs, observed(c)) };
  },
  async read(op, id, props) {
    const c = await op.api.findSessionCluster(op.namespace, op.inputs.name as string);
    if (!c) {
      op.deps.log.warn(
        `${op.subject}: no longer exists in VVP; it is removed from the stack and the next \`pulumi up\` creates it again`,
      );
      return { id: '' };
    }
    // the managed fields as VVP holds them (fields the program leaves out stay out)
    const inputs: Record<string, unknown> = { ...op.inputs, labels: present(c.metadata.labels) };
    for (const k of SESSION_CLUSTER_SPEC_KEYS) if (op.inputs[k] !== undefined) inputs[k] = c.spec[k];
    return { id, props: outputsOf({ ...props, ...inputs }, observed(c)), inputs: outputsOf(inputs, {}) };
  },
  async update(op) {
    const name = op.inputs.name as string;
    let c = await op.api.patchSessionCluster(op.namespace, name, {
      metadata: { labels: (op.inputs.labels as Record<string, string> | undefined) ?? {} },
      spec: specOf(op.inputs),
    });
    op.deps.log.info(`${op.subject}: patched the spec (status ${c.status?.state ?? 'unknown'})`);
    c = await settle(op, c);
    return { outs: outputsOf(op.inputs, observed(c)) };
  },
  async delete(op) {
    const name = op.inputs.name as string;
    let c = await op.api.findSessionCluster(op.namespace, name);
    if (!c) return;
    try {
      if (c.spec.state !== 'STOPPED') {
        c = await op.api.patchSessionCluster(op.namespace, name, { spec: { state: 'STOPPED' } });
        op.deps.log.info(`${op.subject}: set the state to STOPPED before deleting`);
      }
      if (c.status?.state !== 'STOPPED') await waitForCluster(op, name, 'STOPPED', c);
      await op.api.deleteSessionCluster(op.namespace, name);
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      // VVP refuses the stop (jobs run on it) or the delete (deployments reference it)
      const users = await deploymentsWhere(op, (s) => s.sessionClusterName === name).catch(() => [] as string[]);
      throw new PlatformRefusedError(
        `${op.subject}: VVP refuses to stop or delete it while ${users.length ? `deployment(s) ${users.join(', ')} use it` : `it is in use (${messageOf(err)})`}; ` +
          'delete those deployments or move them to another cluster first',
        { cause: err },
      );
    }
    op.deps.log.info(`${op.subject}: deleted`);
  },
};
