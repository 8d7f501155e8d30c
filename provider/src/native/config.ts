/**
 * Provider configuration: `vvp:baseUrl` and `vvp:apiToken` from the stack config (default provider) or the
 * arguments of an explicit `new vvp.Provider(...)`, as the engine sends them to CheckConfig and Configure.
 * Precedence per resource: its own `baseUrl`/`apiToken` inputs, then this configuration, then VVP_URL /
 * VVP_API_TOKEN in the environment of `pulumi` (docs/adr/0103-native-provider.md).
 */
import { TOKEN_CONFIG, TOKEN_ENV, URL_CONFIG, URL_ENV, type ConfigSource } from '../connection';
import type { CheckFailure } from '../handlers';
import type { Props } from './props';

/** The provider's configuration keys, as in schema.json `config.variables`. */
export const CONFIG_KEYS = ['baseUrl', 'apiToken'] as const;

/** Longest accepted base URL. */
const MAX_URL_LENGTH = 2048;

/** The configuration the engine sent to Configure. */
export interface ProviderConfig {
  baseUrl?: string;
  apiToken?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads Configure: `args` (the provider's inputs) win; `variables` (`vvp:config:baseUrl`, the older form) fill in.
 * Values are plain strings; anything else is ignored (CheckConfig already rejected it).
 */
export function readConfigure(args: Props, variables: Map<string, string> | Record<string, string>): ProviderConfig {
  const vars = variables instanceof Map ? Object.fromEntries(variables) : variables;
  const out: ProviderConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = str(args[key]) ?? str(vars[`vvp:config:${key}`]) ?? str(vars[`vvp:${key}`]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** CheckConfig: failures name the key, the value (never the token) and the fix. */
export function checkConfig(news: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [key, value] of Object.entries(news)) {
    if (key === 'version' || key.startsWith('__')) continue;
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      failures.push({
        property: key,
        reason: `vvp provider: unknown configuration key "${key}"; the keys are ${CONFIG_KEYS.join(', ')}`,
      });
      continue;
    }
    if (value !== undefined && value !== null && typeof value !== 'string') {
      failures.push({ property: key, reason: `vvp provider: ${key} must be a string, not ${typeof value}` });
    }
  }
  const url = news.baseUrl;
  if (typeof url === 'string' && url !== '' && !isUnknown(url)) {
    const shown = url.length > 80 ? `${url.slice(0, 80)}…` : url;
    if (url.length > MAX_URL_LENGTH) {
      failures.push({
        property: 'baseUrl',
        reason: `vvp provider: baseUrl is longer than ${MAX_URL_LENGTH} characters`,
      });
    } else if (!/^https?:\/\/[^\s/]+/.test(url)) {
      failures.push({
        property: 'baseUrl',
        reason: `vvp provider: baseUrl "${shown}" is not an http(s) URL; set it like \`pulumi config set vvp:baseUrl http://vvp.example.com:8080\``,
      });
    }
  }
  return failures;
}

function isUnknown(value: string): boolean {
  return value === '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
}

/**
 * What the handlers see of the configuration: a ConfigSource for `vvp:baseUrl`/`vvp:apiToken`, and the environment
 * without VVP_URL / VVP_API_TOKEN where the configuration sets the value (configuration beats the environment).
 */
export function handlerSources(
  config: ProviderConfig,
  env: Record<string, string | undefined>,
): { config: ConfigSource; env: Record<string, string | undefined> } {
  const filtered = { ...env };
  if (config.baseUrl) delete filtered[URL_ENV];
  if (config.apiToken) delete filtered[TOKEN_ENV];
  return {
    env: filtered,
    config: {
      get: (key) => (key === URL_CONFIG ? config.baseUrl : key === TOKEN_CONFIG ? config.apiToken : undefined),
    },
  };
}
