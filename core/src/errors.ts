/** The core error tree, rooted at VvpError; brand checks instead of instanceof (two package copies may load). */

const BRAND = Symbol.for('vvp-iac.VvpError');

/** Root of every error this project throws on purpose. */
export class VvpError extends Error {
  override name = 'VvpError';
  readonly [BRAND] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Brand check for VvpError and its subclasses. */
export function isVvpError(value: unknown): value is VvpError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
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
    super(issues.map((i) => i.message).join('\n'));
  }
}

/** The message of any thrown value, without serialising it. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
