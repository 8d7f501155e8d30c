/** Where the provider finds VVP: resource inputs, then the environment, then stack config. */
import { VvpError } from '../../core/src/index';

/** A resolved VVP connection. */
export interface Connection {
  /** Base URL of VVP, without /api. */
  baseUrl: string;
  /** API token; anonymous access when absent. */
  token?: string;
}

/** Read access to stack config (the dynamic provider's `configure` request). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Environment variable holding the VVP base URL. */
export const URL_ENV = 'VVP_URL';
/** Environment variable holding the VVP API token. */
export const TOKEN_ENV = 'VVP_API_TOKEN';
/** Stack config key of the VVP base URL. */
export const URL_CONFIG = 'vvp:baseUrl';
/** Stack config key of the VVP API token. */
export const TOKEN_CONFIG = 'vvp:apiToken';

/** Picks the connection: explicit inputs win, then VVP_URL / VVP_API_TOKEN, then `vvp:baseUrl` / `vvp:apiToken`. */
export function resolveConnection(
  inputs: { baseUrl?: string | undefined; apiToken?: string | undefined },
  sources: { env: Record<string, string | undefined>; config?: ConfigSource | undefined; subject: string },
): Connection {
  const pick = (...values: (string | undefined)[]) => values.find((v) => typeof v === 'string' && v !== '');
  const baseUrl = pick(inputs.baseUrl, sources.env[URL_ENV], sources.config?.get(URL_CONFIG));
  if (!baseUrl) {
    throw new VvpError(
      `${sources.subject}: no VVP URL; set \`baseUrl\` on the resource, the ${URL_ENV} environment variable, or \`pulumi config set ${URL_CONFIG} http://vvp.example.com:8080\``,
    );
  }
  const token = pick(inputs.apiToken, sources.env[TOKEN_ENV], sources.config?.get(TOKEN_CONFIG));
  return token ? { baseUrl, token } : { baseUrl };
}
