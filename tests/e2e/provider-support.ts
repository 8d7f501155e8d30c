/**
 * Shared setup of the provider e2e suites: a current dist/ (tests/harness/dist.ts), an in-process
 * VVP emulator, and the real pulumi CLI on a file backend (tests/harness/pulumi.ts).
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type RequestRecord } from '../../emulator/src/index';

export { ensureBuilt } from '../harness/dist';

/**
 * An emulator with a token and fast state transitions: profile vvp-3 (the default, ADR 0009) with a deployment
 * target `default` in every namespace, which the example programs name. `options` override these (e.g. `profile`).
 */
export async function startTestEmulator(token: string, options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 20, token, ...options });
}

/** Requests after a mark, as `METHOD /last/two` strings (admin routes are never recorded). */
export function requestsSince(
  emu: EmulatorHandle,
  mark: number,
  filter: (r: RequestRecord) => boolean = () => true,
): RequestRecord[] {
  return emu.requests.slice(mark).filter(filter);
}

/** True for requests that change something (POST, PUT, PATCH, DELETE). */
export const isWrite = (r: RequestRecord): boolean => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method);
