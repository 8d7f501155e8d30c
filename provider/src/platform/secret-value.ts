/**
 * vvp:index:SecretValue against VVP: POST, PATCH of the value, DELETE. VVP never returns the value, so refresh can
 * only tell that the secret exists; `valueVersion` forces a rewrite. The value never appears in a message.
 */
import { SECRET_VALUE_RULES, deepEqual, isNotFound, isConflict, type VvpSecretValue } from '../../../core/src/index';
import { outputsOf } from './handlers';
import { PlatformRefusedError, type PlatformOp, type PlatformResource } from './operation';

const observed = (s: VvpSecretValue) => ({ secretValueId: s.metadata.id, resourceVersion: s.metadata.resourceVersion });
const args = (op: PlatformOp) =>
  [op.namespace, op.inputs.name as string, op.inputs.kind as string, op.inputs.value as string] as const;

export const secretValue: PlatformResource = {
  rules: SECRET_VALUE_RULES,
  async create(op) {
    let s: VvpSecretValue;
    try {
      s = await op.api.createSecretValue(...args(op));
    } catch (err) {
      if (!isConflict(err)) throw err;
      throw new PlatformRefusedError(
        `${op.subject}: a secret value of this name exists in VVP already and is not managed by this stack; choose another name, or delete it in VVP first`,
        { cause: err },
      );
    }
    op.deps.log.info(`${op.subject}: created`);
    return { id: s.metadata.id ?? (op.inputs.name as string), outs: outputsOf(op.inputs, observed(s)) };
  },
  async read(op, id, props) {
    const s = await op.api.findSecretValue(op.namespace, op.inputs.name as string);
    if (!s) {
      op.deps.log.warn(
        `${op.subject}: no longer exists in VVP; it is removed from the stack and the next \`pulumi up\` creates it again`,
      );
      return { id: '' };
    }
    // the value cannot be read back: the recorded inputs stay as they are
    return { id, props: outputsOf(props, observed(s)), inputs: op.inputs };
  },
  async update(op, _id, olds) {
    const rewrite =
      !deepEqual(olds.value, op.inputs.value) ||
      !deepEqual(olds.valueVersion, op.inputs.valueVersion) ||
      olds.kind !== op.inputs.kind;
    if (!rewrite)
      return {
        outs: outputsOf(op.inputs, { secretValueId: olds.secretValueId, resourceVersion: olds.resourceVersion }),
      };
    const s = await op.api.patchSecretValue(...args(op));
    op.deps.log.info(`${op.subject}: wrote the new value`);
    return { outs: outputsOf(op.inputs, observed(s)) };
  },
  async delete(op) {
    try {
      await op.api.deleteSecretValue(op.namespace, op.inputs.name as string);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    op.deps.log.info(`${op.subject}: deleted`);
  },
};
