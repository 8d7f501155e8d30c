/** Shared helpers of the emulator's unit tests: HTTP calls against an in-process emulator and a seed body. */
import type { EmulatorHandle } from '../src/index';

/** One answer: status and parsed JSON body. */
export interface Answer {
  status: number;
  body: any;
}

/** Calls the emulator; a string body is sent as is, anything else as JSON. */
export async function call(
  emu: EmulatorHandle,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(emu.url + p, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const D = '/api/v1/namespaces/default/deployments';

/** A valid JAR deployment body. */
export const jar = (name = 'orders', spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/a.jar' } } },
    ...spec,
  },
});

/**
 * The platform the emulator's unit tests run: the default profile (vvp-3) with a deployment target `default` in
 * every namespace, which the seed body above names. Tests of other profiles say so where they start one.
 */
export const PLATFORM = { profile: 'vvp-3', defaultTarget: 'default' } as const;
