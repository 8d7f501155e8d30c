/**
 * Who may do what. Without `--token` the VVP API is open (anonymous). With it, every route but /api/v1/status needs
 * `Authorization: Bearer <secret>`: the `--token` secret is the platform admin (owner of every namespace, and the
 * only one that may list, create or delete namespaces); a token made through /apitokens/v1 has its role in its own
 * namespace only. The admin routes (/__emulator/*) need `--admin-token`, or `--token` when no admin token is set.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';
import { ANONYMOUS, PLATFORM_ADMIN } from './protection';
import type { Access } from './routes';
import type { Role } from './state';
import type { Store } from './store';

/** The secrets the emulator was started with. */
export interface AuthConfig {
  token?: string;
  adminToken?: string;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/** The Bearer secret of a request, if any. */
export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
  const secret = header.slice(7).trim();
  return secret || undefined;
}

/** Compares secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const required = () => new HttpError(401, 'Authentication required: send Authorization: Bearer <api token>');

/** Checks a VVP route's access rule for the request's token (401/403 with what is missing). */
export function authorize(
  config: AuthConfig,
  store: Store,
  req: IncomingMessage,
  access: Access,
  namespace: string | undefined,
  what: string,
): void {
  if (config.token === undefined || access === 'public') return;
  const secret = bearer(req);
  if (!secret) throw required();
  if (sameSecret(secret, config.token)) return;
  if (!store.isToken(secret)) throw new HttpError(401, 'Invalid API token');
  if (access === 'authenticated') return;
  if (access === 'admin')
    throw new HttpError(403, `Only the platform admin token (--token) may ${what}; namespace tokens cannot`);
  const role = store.roleOf(secret, namespace);
  if (!role) throw new HttpError(403, `The API token has no access to namespace '${namespace ?? '(none)'}'`);
  if (RANK[role] < RANK[access]) throw new HttpError(403, `Role '${role}' may not ${what}; it needs '${access}'`);
}

/**
 * Who sends a request, for write protection (protection.ts): the anonymous caller without --token, the platform
 * admin for the --token secret, else the API token's name. Called after `authorize`.
 */
export function callerOf(config: AuthConfig, store: Store, req: IncomingMessage): string {
  if (config.token === undefined) return ANONYMOUS;
  const secret = bearer(req);
  if (secret === undefined) return ANONYMOUS;
  if (sameSecret(secret, config.token)) return PLATFORM_ADMIN;
  return store.tokenName(secret) ?? ANONYMOUS;
}

/** Checks the admin routes' secret (401 without one, 403 for a token that is not the admin token). */
export function authorizeAdmin(config: AuthConfig, store: Store, req: IncomingMessage): void {
  const admin = config.adminToken ?? config.token;
  if (admin === undefined) return;
  const secret = bearer(req);
  if (!secret) throw required();
  if (sameSecret(secret, admin)) return;
  if (store.isToken(secret) || (config.token !== undefined && sameSecret(secret, config.token)))
    throw new HttpError(
      403,
      `The admin routes /__emulator/* need the ${config.adminToken !== undefined ? '--admin-token' : '--token'} secret`,
    );
  throw new HttpError(401, 'Invalid admin token');
}
