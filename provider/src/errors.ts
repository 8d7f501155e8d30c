/** Errors of the provider: name conflicts, failed waits, and the init-failed shape Pulumi records. */
import { VvpError } from '../../core/src/index';

/** A deployment with the name exists and carries no stamp of this resource. */
export class NameConflictError extends VvpError {
  override name = 'NameConflictError';
}

/** A bounded wait ended without reaching its goal (timeout, FAILED job, FAILED savepoint). */
export class WaitError extends VvpError {
  override name = 'WaitError';
}

/** The deployment exists in VVP (create or projection succeeded) but a later step failed. */
export class ResourceInitError extends VvpError {
  override name = 'ResourceInitError';
  constructor(
    message: string,
    /** Resource id, so Pulumi records the resource instead of forgetting it. */
    readonly id: string,
    /** Outputs to record. */
    readonly properties: Record<string, unknown>,
    /** Why the step failed. */
    readonly reasons: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
