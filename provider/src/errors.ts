/** Errors of the provider: failed waits, refused deletions, and the init-failed shape Pulumi records. */
import { VvpError, type VvpDeployment } from '../../core/src/index';

export { NameConflictError } from '../../vvp-client/src/index';

/** A bounded wait ended without reaching its goal (timeout, FAILED job, FAILED savepoint). */
export class WaitError extends VvpError {
  override name = 'WaitError';
  constructor(
    message: string,
    /** The deployment as last seen, so the recorded outputs say the state it ended in (FAILED, not the state before). */
    readonly lastSeen?: VvpDeployment,
  ) {
    super(message, { source: 'vvp' });
  }
}

/** The deployment a failed wait saw last, else `fallback`. */
export const lastSeenBy = (err: unknown, fallback: VvpDeployment): VvpDeployment =>
  (err instanceof WaitError ? err.lastSeen : undefined) ?? fallback;

/** destroy refused by deletionPolicy requireInactive: the deployment is active. An expected failure, not a fault. */
export class DeletionRefusedError extends VvpError {
  override name = 'DeletionRefusedError';
  constructor(message: string) {
    super(message, { source: 'validation' });
  }
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
    super(message, { source: 'vvp', cause: options?.cause });
  }
}
