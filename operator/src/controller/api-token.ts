/** Reading what the reconcile needs before acting: the API token from the CR's Secret. */
import { errorSource, messageOf, VvpError } from '../../../core/src/errors';
import { APIKEY_SECRET_ANNOTATION } from '../../../core/src/model/deployment';
import type { KubeApi, VvpDeploymentResource } from '../kube/types';

/**
 * The API token Secret is missing, unusable or unreadable; the message says which and how to fix it. Transient
 * when Kubernetes refused or failed the read (RBAC, apiserver down): the reconcile is then retried with backoff.
 */
export class ApiKeySecretError extends VvpError {
  override name = 'ApiKeySecretError';
  constructor(message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, { source: 'config', transient: options.transient ?? false, cause: options.cause });
  }
}

/**
 * Reads the VVP API token named by the CR's `apikeySecretName` annotation: key `token`, or the only key of a
 * one-key Secret. No annotation means anonymous access (a VVP without authentication).
 */
export async function readApiToken(kube: KubeApi, cr: VvpDeploymentResource): Promise<string | undefined> {
  const secretName = cr.metadata.annotations?.[APIKEY_SECRET_ANNOTATION];
  if (!secretName) return undefined;
  const ns = cr.metadata.namespace;
  let data: Record<string, string> | undefined;
  try {
    data = await kube.getSecretData(ns, secretName);
  } catch (err) {
    if (errorSource(err) !== 'kubernetes') throw err;
    throw new ApiKeySecretError(
      `Secret ${ns}/${secretName} named by annotation ${APIKEY_SECRET_ANNOTATION} could not be read: ${messageOf(err)}; give the operator's ServiceAccount RBAC permission to get secrets in namespace ${ns} (the chart's Role does)`,
      { transient: true, cause: err },
    );
  }
  if (!data) {
    throw new ApiKeySecretError(
      `Secret ${ns}/${secretName} named by annotation ${APIKEY_SECRET_ANNOTATION} does not exist; create it with the VVP API token under key "token"`,
    );
  }
  const keys = Object.keys(data);
  const encoded = data.token ?? (keys.length === 1 ? data[keys[0]!] : undefined);
  if (encoded === undefined) {
    throw new ApiKeySecretError(
      `Secret ${ns}/${secretName} has no key "token" (it has ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'no keys'}); put the VVP API token under key "token"`,
    );
  }
  const token = Buffer.from(encoded, 'base64').toString('utf8').trim();
  if (!token)
    throw new ApiKeySecretError(
      `Secret ${ns}/${secretName} holds an empty token; put the VVP API token under key "token"`,
    );
  return token;
}
