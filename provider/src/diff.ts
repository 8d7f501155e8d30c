/** diff(): what an update changes, by core's change classes; settings-only edits update without a VVP change. Pure. */
import { classifyChange, deepEqual, needsJobRecovery, type ChangeClass } from '../../core/src/index';
import { definitionOf, processedDefinitionOf, refOf, subjectOf } from './inputs';
import { jobEndedMessage } from './recover';
import { SETTING_KEYS } from './types';

/** What diff() returns to Pulumi. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  /** Set when only the job's end (FAILED, FINISHED) makes the change: `['actualState']`, the key to show. */
  diffs?: string[];
}

/**
 * Compares old outputs and new inputs; `change` is the class to log (`none` when nothing changed). A job that ended
 * (actual state FAILED or FINISHED at the last operation or refresh) while the program says RUNNING is a change:
 * `recovery` is then the warning to show, and the update recovers the job (ADR 0008).
 */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { result: DiffResult; change: ChangeClass; recovery?: string } {
  const summary = classifyChange(processedDefinitionOf(olds), definitionOf(news));
  const settingsChanged = [...SETTING_KEYS, 'resourceUrn' as const].some((k) => !deepEqual(olds[k], news[k]));
  const actual = typeof olds.actualState === 'string' ? olds.actualState : undefined;
  const recovers =
    !summary.replace && news.deployment !== undefined && needsJobRecovery(refOf(news).deployment.spec?.state, actual);
  const edited =
    summary.replace ||
    summary.specChanged ||
    summary.savepointNonceChanged ||
    summary.restartNonceChanged ||
    settingsChanged;
  const changes = edited || recovers;
  return {
    change: summary.change,
    ...(recovers ? { recovery: jobEndedMessage(subjectOf(news), actual!) } : {}),
    result: {
      changes,
      replaces: summary.replace ? ['deployment'] : [],
      stables: summary.replace ? [] : ['deploymentId', 'resourceUrn'],
      deleteBeforeReplace: summary.replace,
      ...(recovers && !edited ? { diffs: ['actualState'] } : {}),
    },
  };
}
