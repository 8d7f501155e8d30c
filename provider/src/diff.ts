/** diff(): what an update changes, by core's change classes; settings-only edits update without a VVP change. Pure. */
import { classifyChange, deepEqual, type ChangeClass } from '../../core/src/index';
import { definitionOf, processedDefinitionOf } from './inputs';
import { SETTING_KEYS } from './types';

/** What diff() returns to Pulumi. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}

/** Compares old outputs and new inputs; `change` is the class to log (`none` when nothing changed). */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { result: DiffResult; change: ChangeClass } {
  const summary = classifyChange(processedDefinitionOf(olds), definitionOf(news));
  const settingsChanged = [...SETTING_KEYS, 'resourceUrn' as const].some((k) => !deepEqual(olds[k], news[k]));
  const changes =
    summary.replace ||
    summary.specChanged ||
    summary.savepointNonceChanged ||
    summary.restartNonceChanged ||
    settingsChanged;
  return {
    change: summary.change,
    result: {
      changes,
      replaces: summary.replace ? ['deployment'] : [],
      stables: summary.replace ? [] : ['deploymentId', 'resourceUrn'],
      deleteBeforeReplace: summary.replace,
    },
  };
}
