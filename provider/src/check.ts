/** check(): the inputs validated by core (the same validate as the webhook) plus the resource settings. Pure. */
import { errorsOf, getPath, settingsIssues, validate, warningsOf, type Issue } from '../../core/src/index';
import { definitionOf, hasUnknown, inputsOf, subjectOf } from './inputs';

/** One failure of check(), as Pulumi's dynamic provider expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What check() returns, and the warnings to log. */
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  warnings: string[];
}

/** Validates new inputs (against the old ones on update); values still unknown during preview are skipped. */
export function checkInputs(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): CheckResult {
  const inputs = inputsOf(news);
  const subject = subjectOf(inputs);
  const isCreate = olds === undefined || Object.keys(inputsOf(olds)).length === 0;
  const { waitFor, deletionPolicy, adopt, baseUrl, apiToken, resourceUrn: _urn, ...definition } = inputs;
  const old = isCreate ? undefined : { spec: definitionOf(olds) };
  let issues: Issue[] = validate({ spec: definition }, old, {
    specPath: '',
    operation: isCreate ? 'CREATE' : 'UPDATE',
    subject,
  })
    // Pulumi replaces the deployment when its name or namespace changes (diff); no rejection here
    .filter((i) => i.code !== 'immutable');
  issues.push(...settingsIssues({ waitFor, deletionPolicy, adopt, baseUrl, apiToken }, { subject }));
  // values still unknown during preview are checked once they are known
  issues = issues.filter((i) => !hasUnknown(getPath(news, i.path)));
  return {
    inputs: news,
    failures: errorsOf(issues).map((i) => ({ property: i.path, reason: i.message })),
    warnings: warningsOf(issues).map((w) => w.message),
  };
}
