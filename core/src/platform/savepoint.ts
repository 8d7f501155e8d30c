/**
 * vvp:index:Savepoint: a savepoint of a RUNNING deployment (triggered) or an external location (registered); every
 * input but the settings replaces it. deletionPolicy retain (default) leaves it in VVP on destroy; delete removes it
 * where VVP offers DELETE /savepoints/{id} (not VVP 2.4: 405).
 */
import { SavepointDeletionPolicy } from '../model/generated';
import { CONNECTION_FIELDS, WAIT_FIELD, type PlatformRules } from './rules';

export const SAVEPOINT_RULES: PlatformRules = {
  type: 'vvp:index:Savepoint',
  noun: 'savepoint',
  subject: (props) =>
    `savepoint of deployment ${typeof props.namespace === 'string' ? props.namespace : 'default'}/${typeof props.deploymentName === 'string' ? props.deploymentName : '?'}`,
  fields: {
    namespace: { kind: 'name', default: 'default', replaces: true },
    deploymentName: { kind: 'name', required: true, replaces: true },
    savepointLocation: { kind: 'string', replaces: true },
    deletionPolicy: { kind: SavepointDeletionPolicy, default: 'retain', setting: true },
    waitFor: WAIT_FIELD,
    ...CONNECTION_FIELDS,
  },
};
