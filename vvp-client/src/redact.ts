/**
 * Secret scrubbing for everything the client puts into an error: the token in each encoding a server or a
 * library may echo it in (raw, JSON-escaped once or twice, URL-encoded, base64 and base64url, also of the
 * `Bearer` header value and of Basic `:token`), in strings and in object keys and values at any depth.
 */

/** What replaces a secret. */
export const REDACTED = '***';
/** Deepest level of a body that is kept; deeper parts become REDACTED (a body is never walked unbounded). */
const MAX_DEPTH = 32;

/** Every spelling of a secret that may appear in text, longest first; none for an empty secret. */
export function secretForms(secret: string | undefined): string[] {
  if (!secret) return [];
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set<string>([
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(secret),
    encodeURI(secret),
    encodeURIComponent(encodeURIComponent(secret)),
  ]);
  for (const text of [secret, `Bearer ${secret}`, `:${secret}`]) {
    const b64 = Buffer.from(text, 'utf8').toString('base64');
    forms.add(b64);
    forms.add(b64.replace(/=+$/, ''));
    forms.add(Buffer.from(text, 'utf8').toString('base64url'));
  }
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** Replaces every form of every secret in a text. */
export function redactText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/** A copy of a JSON value with every form of the secrets removed from strings and keys, bounded in depth. */
export function redactValue(value: unknown, forms: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, forms);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, forms, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    Object.defineProperty(out, redactText(k, forms), {
      value: redactValue(v, forms, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Rejects a base URL that carries credentials (`https://user:token@host`): they would end up in every error
 * message and log line. Returns the message of the problem, never echoing the credential; undefined when fine.
 */
export function baseUrlCredentialsProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(baseUrl)
      ? 'baseUrl carries credentials in its user-info part (user:password@); remove them and pass the API token as apiToken (the client option "token")'
      : undefined;
  }
  if (!url.username && !url.password) return undefined;
  url.username = '';
  url.password = '';
  return `baseUrl ${url.origin} carries credentials in its user-info part (user:password@); remove them and pass the API token as apiToken (the client option "token")`;
}
