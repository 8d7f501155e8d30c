/**
 * Typed access to the VVP namespace objects besides deployments: deployment targets, session clusters, secret
 * values, namespace deployment defaults, savepoints by id. Same transport, errors and redaction as the deployment
 * calls (client.ts); a secret value is scrubbed from every error of a call that sends it.
 */
import {
  SPEC_VERSION_ANNOTATION,
  type VvpDeploymentDefaults,
  type VvpDeploymentTarget,
  type VvpSavepoint,
  type VvpSecretValue,
  type VvpSessionCluster,
} from '../../core/src/model/platform';
import type { VvpClient } from './client';
import { isNotFound } from './errors';
import { namespacedPath } from './paths';

const ns = namespacedPath;
const items = <T>(list: { items?: T[] } | T[]): T[] => (Array.isArray(list) ? list : (list.items ?? []));

/** The object, or undefined on 404. */
export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The platform calls over one client. */
export function platformApi(client: VvpClient) {
  const r = client.request.bind(client);
  return {
    listTargets: async (n: string) =>
      items(await r<{ items?: VvpDeploymentTarget[] }>('GET', ns(n, 'deployment-targets'))),
    findTarget: (n: string, name: string) =>
      orUndefined(r<VvpDeploymentTarget>('GET', ns(n, 'deployment-targets', name))),
    createTarget: (n: string, body: VvpDeploymentTarget) =>
      r<VvpDeploymentTarget>('POST', ns(n, 'deployment-targets'), body),
    putTarget: (n: string, name: string, body: VvpDeploymentTarget) =>
      r<VvpDeploymentTarget>('PUT', ns(n, 'deployment-targets', name), body),
    deleteTarget: async (n: string, name: string) => void (await r('DELETE', ns(n, 'deployment-targets', name))),

    listSessionClusters: async (n: string) =>
      items(await r<{ items?: VvpSessionCluster[] }>('GET', ns(n, 'sessionclusters'))),
    findSessionCluster: (n: string, name: string) =>
      orUndefined(r<VvpSessionCluster>('GET', ns(n, 'sessionclusters', name))),
    getSessionCluster: (n: string, name: string) => r<VvpSessionCluster>('GET', ns(n, 'sessionclusters', name)),
    createSessionCluster: (n: string, body: VvpSessionCluster) =>
      r<VvpSessionCluster>('POST', ns(n, 'sessionclusters'), body),
    patchSessionCluster: (n: string, name: string, body: Partial<VvpSessionCluster>) =>
      r<VvpSessionCluster>('PATCH', ns(n, 'sessionclusters', name), body),
    deleteSessionCluster: async (n: string, name: string) => void (await r('DELETE', ns(n, 'sessionclusters', name))),

    findSecretValue: (n: string, name: string) => orUndefined(r<VvpSecretValue>('GET', ns(n, 'secret-values', name))),
    createSecretValue: (n: string, name: string, kind: string, value: string) =>
      r<VvpSecretValue>(
        'POST',
        ns(n, 'secret-values'),
        { metadata: { name }, spec: { kind, value } },
        { secrets: [value] },
      ),
    patchSecretValue: (n: string, name: string, kind: string, value: string) =>
      r<VvpSecretValue>('PATCH', ns(n, 'secret-values', name), { spec: { kind, value } }, { secrets: [value] }),
    deleteSecretValue: async (n: string, name: string) => void (await r('DELETE', ns(n, 'secret-values', name))),

    getDefaults: (n: string) => r<VvpDeploymentDefaults>('GET', ns(n, 'deployment-defaults')),
    patchDefaults: (n: string, spec: Record<string, unknown>) =>
      r<VvpDeploymentDefaults>('PATCH', ns(n, 'deployment-defaults'), { spec }),

    findSavepoint: (n: string, id: string) => orUndefined(client.getSavepoint(n, id)),
    triggerSavepoint: (n: string, deploymentId: string) => client.triggerSavepoint(n, deploymentId),
    /** Registers an external savepoint; VVP wants the deployment's spec version as annotation. */
    registerSavepoint: (n: string, deploymentId: string, specVersion: string, savepointLocation: string) =>
      r<VvpSavepoint>('POST', ns(n, 'savepoints'), {
        metadata: { deploymentId, annotations: { [SPEC_VERSION_ANNOTATION]: specVersion } },
        spec: { savepointLocation },
      }),
    deleteSavepoint: async (n: string, id: string) => void (await r('DELETE', ns(n, 'savepoints', id))),
  };
}

/** The platform calls, as a type. */
export type PlatformApi = ReturnType<typeof platformApi>;
