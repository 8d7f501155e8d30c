/** vvp:index:DeploymentTarget: metadata may change (PUT), the spec is immutable in VVP (a change replaces). */
import { CONNECTION_FIELDS, type PlatformRules } from './rules';

export const DEPLOYMENT_TARGET_RULES: PlatformRules = {
  type: 'vvp:index:DeploymentTarget',
  noun: 'deployment target',
  fields: {
    name: { kind: 'name', required: true, replaces: true },
    namespace: { kind: 'name', default: 'default', replaces: true },
    kubernetesNamespace: { kind: 'name', required: true, replaces: true },
    deploymentPatchSet: { kind: 'array', replaces: true },
    labels: { kind: 'stringMap' },
    annotations: { kind: 'stringMap' },
    ...CONNECTION_FIELDS,
  },
};
