/** Kubernetes Events about CRs, best effort: a failed event is logged and never fails a reconcile. */
import { messageOf } from '../../../core/src/errors';
import type { KubeApi, VvpDeploymentResource } from '../kube/types';
import type { Logger } from '../runtime/logger';

/** Records Events about CRs. */
export interface EventRecorder {
  emit(cr: VvpDeploymentResource, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** Creates a recorder that writes core/v1 Events and logs each one. */
export function createEventRecorder(kube: KubeApi, log: Logger): EventRecorder {
  return {
    async emit(cr, type, reason, message) {
      const m = cr.metadata;
      log.info({ key: `${m.namespace}/${m.name}`, event: reason, type }, message);
      try {
        await kube.createEvent({
          type,
          reason,
          message,
          involved: {
            name: m.name,
            namespace: m.namespace,
            uid: m.uid,
            ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
          },
        });
      } catch (err) {
        log.warn(
          { key: `${m.namespace}/${m.name}`, event: reason, err: messageOf(err) },
          'recording the Kubernetes event failed (best effort)',
        );
      }
    },
  };
}
