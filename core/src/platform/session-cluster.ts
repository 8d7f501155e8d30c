/**
 * vvp:index:SessionCluster: the state (RUNNING, STOPPED) and the Flink settings change in place (VVP moves a
 * running cluster through UPDATING); the deployment target cannot change (replace). ADR 0104.
 */
import type { Issue } from '../errors';
import { SessionClusterState } from '../model/generated';
import { CONNECTION_FIELDS, WAIT_FIELD, type PlatformRules } from './rules';

/** Spec fields of a session cluster that the resource manages, as VVP names them. */
export const SESSION_CLUSTER_SPEC_KEYS = [
  'state',
  'deploymentTargetName',
  'flinkVersion',
  'flinkImageRegistry',
  'flinkImageRepository',
  'flinkImageTag',
  'engineVersionName',
  'numberOfTaskManagers',
  'resources',
  'flinkConfiguration',
  'logging',
  'kubernetes',
] as const;

export const SESSION_CLUSTER_RULES: PlatformRules = {
  type: 'vvp:index:SessionCluster',
  noun: 'session cluster',
  fields: {
    name: { kind: 'name', required: true, replaces: true },
    namespace: { kind: 'name', default: 'default', replaces: true },
    state: { kind: SessionClusterState, default: 'RUNNING' },
    deploymentTargetName: { kind: 'name', required: true, replaces: true },
    flinkVersion: { kind: 'string' },
    flinkImageRegistry: { kind: 'string' },
    flinkImageRepository: { kind: 'string' },
    flinkImageTag: { kind: 'string' },
    engineVersionName: { kind: 'string' },
    numberOfTaskManagers: { kind: 'integer' },
    resources: { kind: 'object' },
    flinkConfiguration: { kind: 'stringMap' },
    logging: { kind: 'object' },
    kubernetes: { kind: 'object' },
    labels: { kind: 'stringMap' },
    waitFor: WAIT_FIELD,
    ...CONNECTION_FIELDS,
  },
  extra: (inputs, subject) => {
    const issues: Issue[] = [];
    const n = inputs.numberOfTaskManagers;
    if (typeof n === 'number' && n < 1)
      issues.push({
        path: 'numberOfTaskManagers',
        code: 'range',
        severity: 'error',
        message: `${subject}: \`numberOfTaskManagers\` must be at least 1 (got ${n})`,
      });
    return issues;
  },
};
