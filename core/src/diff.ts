/** Change classification between two desired definitions: none < config < state < replace; nonces apart. */
import { deepEqual } from './json';
import type { ChangeClass, CrDeployment, SyncingMode } from './model/generated';
import { resolveDeployment } from './sync/resolve';
import { nonceChanged } from './nonce';

/** The desired side of a definition, as the CR spec or the Pulumi inputs hold it. */
export interface DesiredDefinition {
  syncingMode?: SyncingMode;
  deployment?: CrDeployment;
  initFields?: CrDeployment;
  savepointNonce?: number | null;
  restartNonce?: number | null;
}

/** The result of comparing two definitions. */
export interface ChangeSummary {
  /** The class reported to users (preview log, `lastChange`). */
  change: ChangeClass;
  /** True when the deployment must be replaced (name or namespace changed). */
  replace: boolean;
  /** True when the deployment definition changed (a projection is due). */
  specChanged: boolean;
  /** True when the desired state changed. */
  stateChanged: boolean;
  /** Nonces whose values changed. */
  savepointNonceChanged: boolean;
  restartNonceChanged: boolean;
  /** Informational warnings (e.g. initFields-only edits). */
  warnings: string[];
}

/** Message for edits of initFields after creation. */
export const INIT_FIELDS_CREATION_ONLY = 'initFields apply at creation only; this edit changes nothing in VVP';

/** Compares an old and a new definition. */
export function classifyChange(old: DesiredDefinition, next: DesiredDefinition): ChangeSummary {
  const a = resolveDeployment(old.deployment);
  const b = resolveDeployment(next.deployment);
  const replace = a.metadata?.name !== b.metadata?.name || a.metadata?.namespace !== b.metadata?.namespace;
  const specChanged = !deepEqual(a, b);
  const stateChanged = a.spec?.state !== b.spec?.state;
  const savepointNonceChanged = nonceChanged({ desired: next.savepointNonce, processed: old.savepointNonce });
  const restartNonceChanged = nonceChanged({ desired: next.restartNonce, processed: old.restartNonce });
  const warnings: string[] = [];
  if (!deepEqual(old.initFields ?? undefined, next.initFields ?? undefined)) warnings.push(INIT_FIELDS_CREATION_ONLY);
  let change: ChangeClass = 'none';
  if (replace) change = 'replace';
  else if (stateChanged) change = 'state';
  else if (specChanged) change = 'config';
  else if (restartNonceChanged) change = 'restart';
  else if (savepointNonceChanged) change = 'savepoint';
  return { change, replace, specChanged, stateChanged, savepointNonceChanged, restartNonceChanged, warnings };
}
