/**
 * vvp:index:SecretValue: the value is write-only (VVP never returns it), so drift cannot be seen; a new value or
 * a new `valueVersion` rewrites it. The value is never shown in a message.
 */
import { CONNECTION_FIELDS, type PlatformRules } from './rules';

export const SECRET_VALUE_RULES: PlatformRules = {
  type: 'vvp:index:SecretValue',
  noun: 'secret value',
  fields: {
    name: { kind: 'name', required: true, replaces: true },
    namespace: { kind: 'name', default: 'default', replaces: true },
    kind: { kind: ['Plain'], default: 'Plain' },
    value: { kind: 'string', required: true, secret: true },
    valueVersion: { kind: 'integer' },
    ...CONNECTION_FIELDS,
  },
};
