/** The handler test fixture: an in-process emulator, handlers over the real client, a log recorder, fresh names. */
import { providerInputs, putProviderInputs, TEST_ARTIFACT } from '../../tests/fixtures/seed';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createVvpClient } from '../../vvp-client/src/index';
import { createHandlers, type Handlers } from '../src/handlers';

export const TOKEN = 'test-token-s3cr3t';
export const URN = 'urn:pulumi:test::proj::pulumi-nodejs:dynamic/vvp:Deployment::orders';

export let emu: EmulatorHandle;
export let logs: { level: 'info' | 'warn'; message: string }[];
export let h: Handlers;
let seq = 0;
export let name: string;

beforeAll(async () => {
  // profile vvp-3 (ADR 0009) with target `default`, which the provider tests' definitions name
  emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 10, token: TOKEN });
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => {
  logs = [];
  emu.faults.clear();
  name = `orders-${++seq}`;
  h = createHandlers({
    clientFor: (c) => createVvpClient({ baseUrl: c.baseUrl, ...(c.token ? { token: c.token } : {}), retryBaseMs: 1 }),
    log: {
      info: (message) => logs.push({ level: 'info', message }),
      warn: (message) => logs.push({ level: 'warn', message }),
    },
    env: {},
    pollMs: { initial: 5, max: 20 },
  });
});

export const warnings = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);
export const jar = TEST_ARTIFACT;
export const connection = () => ({ baseUrl: emu.url, apiToken: TOKEN, resourceUrn: URN });
export const inputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  providerInputs(name, connection(), over, spec);
export const putInputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  putProviderInputs(name, connection(), over, spec);

/** Resolves once `check` holds (polling the in-process emulator), failing after 5 s. */
export async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const vvp = (n = name) => emu.store.getDeployment('default', n);

export async function createRunning(over: Record<string, unknown> = {}) {
  const created = await h.create(inputs(over, { state: 'RUNNING' }));
  return created;
}
