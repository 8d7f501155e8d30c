/**
 * The one error taxonomy: every error this project throws on purpose is a VvpError carrying its source (VVP,
 * Kubernetes, configuration, validation), the HTTP status when there is one, and whether retrying can help.
 * The predicates below read those facts through a brand, never through `instanceof` or class names, so they hold
 * across two loaded copies of the package (a Pulumi program and its dynamic provider, say).
 */

const BRAND = Symbol.for('vvp-iac.VvpError');

/** Where an error comes from: the system that answered, or the input that was wrong. */
export type ErrorSource = 'vvp' | 'kubernetes' | 'config' | 'validation';

/** What the taxonomy records about an error. */
export interface ErrorFacts {
  /** @default config */
  source?: ErrorSource;
  /** HTTP status of the answer; 0 when the server could not be reached; absent when no request failed. */
  status?: number;
  /** True when the same request may succeed later (5xx, 429, network errors). @default false */
  transient?: boolean;
  cause?: unknown;
}

/** Root of every error this project throws on purpose. */
export class VvpError extends Error {
  override name = 'VvpError';
  readonly [BRAND] = true;
  readonly source: ErrorSource;
  readonly status: number | undefined;
  readonly transient: boolean;
  constructor(message: string, facts: ErrorFacts = {}) {
    super(message, facts.cause !== undefined ? { cause: facts.cause } : undefined);
    this.source = facts.source ?? 'config';
    this.status = facts.status;
    this.transient = facts.transient ?? false;
  }
}

/** True for statuses where a retry may succeed: 5xx, 429, and 0 (unreachable). */
export function isTransientStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** The facts of a branded error, or undefined for anything else (a plain Error, a string). */
export function errorFacts(err: unknown): VvpError | undefined {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true
    ? (err as VvpError)
    : undefined;
}

const from = (err: unknown, source: ErrorSource | undefined): VvpError | undefined => {
  const facts = errorFacts(err);
  return facts && (source === undefined || facts.source === source) ? facts : undefined;
};

/** The source of a branded error. */
export function errorSource(err: unknown): ErrorSource | undefined {
  return errorFacts(err)?.source;
}

/** True when retrying can help: 5xx, 429 and network errors, of any source (or of `source`). */
export function isTransient(err: unknown, source?: ErrorSource): boolean {
  return from(err, source)?.transient === true;
}

/** True for a 404 answer (of `source`, when given). */
export function isNotFound(err: unknown, source?: ErrorSource): boolean {
  return from(err, source)?.status === 404;
}

/** True for a 409 answer (of `source`, when given). */
export function isConflict(err: unknown, source?: ErrorSource): boolean {
  return from(err, source)?.status === 409;
}

/** True for a 401 or 403 answer of `source`: VVP's token, or the operator's Kubernetes RBAC, are different fixes. */
export function isUnauthorized(err: unknown, source: ErrorSource): boolean {
  const status = from(err, source)?.status;
  return status === 401 || status === 403;
}

/** One problem found by validation. */
export interface Issue {
  /** Dotted field path, e.g. `spec.deployment.spec.state`. */
  path: string;
  /** Stable machine-readable code, e.g. `put-mandatory`. */
  code: string;
  /** Full sentence naming the object, the field, the value and the fix. */
  message: string;
  /** Errors reject; warnings inform. */
  severity: 'error' | 'warning';
}

/** Thrown when a definition has errors; carries every issue. */
export class ValidationError extends VvpError {
  override name = 'ValidationError';
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => i.message).join('\n'), { source: 'validation' });
  }
}

/** The message of any thrown value, without serialising it (an Error of another realm too, e.g. a vm context). */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && Object.prototype.toString.call(err) === '[object Error]'
    ? message
    : String(err);
}
