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
  return readSecretToken(kube, cr.metadata.namespace, secretName);
}

/** How long a token read from a Secret is reused before the Secret is read again, in ms. */
export const API_TOKEN_TTL_MS = 10_000;

/**
 * The API tokens read recently, per Secret (namespace/name): every reconcile within `ttlMs` of a read reuses it,
 * and concurrent reconciles share one read. Secrets are not watched, so a rotated token is picked up when the entry
 * expires, or at once when VVP refused the token (`invalidate`, called on a VVP 401/403). A failed read is not kept.
 */
export class ApiTokenCache {
  private readonly entries = new Map<string, { token: Promise<string>; until: number }>();

  constructor(
    private readonly kube: KubeApi,
    private readonly nowMs: () => number,
    private readonly ttlMs = API_TOKEN_TTL_MS,
  ) {}

  /** The token for the CR (undefined: no annotation, anonymous access), from a read at most `ttlMs` old. */
  async read(cr: VvpDeploymentResource): Promise<string | undefined> {
    const secretName = cr.metadata.annotations?.[APIKEY_SECRET_ANNOTATION];
    if (!secretName) return undefined;
    const key = `${cr.metadata.namespace}/${secretName}`;
    const hit = this.entries.get(key);
    if (hit && this.nowMs() < hit.until) return hit.token;
    const token = readSecretToken(this.kube, cr.metadata.namespace, secretName);
    const entry = { token, until: this.nowMs() + this.ttlMs };
    this.entries.set(key, entry);
    token.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return token;
  }

  /** Forgets the token of the CR's Secret: the next reconcile reads the Secret again. */
  invalidate(cr: VvpDeploymentResource): void {
    const secretName = cr.metadata.annotations?.[APIKEY_SECRET_ANNOTATION];
    if (secretName) this.entries.delete(`${cr.metadata.namespace}/${secretName}`);
  }
}

/** Reads and decodes the token of one Secret; every way it can be unusable is an ApiKeySecretError. */
async function readSecretToken(kube: KubeApi, ns: string, secretName: string): Promise<string> {
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
