/** Rules for the settings only the Pulumi resource has: waitFor, deletionPolicy, adopt and the connection. */
import type { Issue } from './errors';
import { isPlainObject } from './json';
import { DeletionPolicy } from './model/generated';

/** Settings of the Pulumi resource beside the definition. */
export interface ResourceSettings {
  waitFor?: unknown;
  deletionPolicy?: unknown;
  adopt?: unknown;
  baseUrl?: unknown;
  apiToken?: unknown;
}

/** Default bound of each wait, in seconds. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
/** Default deletion policy: fail on an active deployment. */
export const DEFAULT_DELETION_POLICY: DeletionPolicy = 'requireInactive';

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Validates the resource settings; `subject` names the object in messages. Collects every problem. */
export function settingsIssues(settings: ResourceSettings, options: { subject: string }): Issue[] {
  const issues: Issue[] = [];
  const error = (path: string, code: string, text: string) =>
    issues.push({ path, code, severity: 'error', message: `${options.subject}: ${text}` });
  const { waitFor, deletionPolicy, adopt, baseUrl, apiToken } = settings;
  if (deletionPolicy !== undefined && !(DeletionPolicy as readonly unknown[]).includes(deletionPolicy)) {
    error(
      'deletionPolicy',
      'enum',
      `\`deletionPolicy\` must be one of ${DeletionPolicy.join(', ')} (got ${show(deletionPolicy)})`,
    );
  }
  if (adopt !== undefined && typeof adopt !== 'boolean')
    error('adopt', 'type', `\`adopt\` must be true or false (got ${show(adopt)})`);
  if (waitFor !== undefined) {
    if (!isPlainObject(waitFor)) {
      error(
        'waitFor',
        'type',
        `\`waitFor\` must be an object such as { state: true, savepoint: false, timeoutSeconds: 300 } (got ${show(waitFor)})`,
      );
    } else {
      for (const key of ['state', 'savepoint'] as const) {
        const v = waitFor[key];
        if (v !== undefined && typeof v !== 'boolean')
          error(`waitFor.${key}`, 'type', `\`waitFor.${key}\` must be true or false (got ${show(v)})`);
      }
      const t = waitFor.timeoutSeconds;
      if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t <= 0)) {
        error(
          'waitFor.timeoutSeconds',
          'range',
          `\`waitFor.timeoutSeconds\` must be a positive number of seconds (got ${show(t)}); the default is ${DEFAULT_WAIT_TIMEOUT_SECONDS}`,
        );
      }
    }
  }
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !/^https?:\/\/[^\s/]+/.test(baseUrl))) {
    error(
      'baseUrl',
      'format',
      `\`baseUrl\` must be an http(s) URL such as http://vvp.example.com:8080 (got ${show(baseUrl)})`,
    );
  }
  // the value of a token is never shown
  if (apiToken !== undefined && (typeof apiToken !== 'string' || apiToken === ''))
    error('apiToken', 'type', '`apiToken` must be a non-empty string');
  return issues;
}
