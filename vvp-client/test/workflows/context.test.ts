/** recordEvent against the emulator: a VVP without an events endpoint is noted once per URL and skipped afterwards. */
import { startEmulator, type EmulatorHandle } from '../../../emulator/src/index';
import { operatorOwnership } from '../../../core/src/ownership';
import { createVvpClient } from '../../src/client';
import { createOrAdopt, project, type WorkflowContext } from '../../src/workflows/index';

const TOKEN = 'ctx-test-token';
const ownership = operatorOwnership('op-1', 'uid-1');
let emu: EmulatorHandle;

beforeEach(async () => {
  emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 10, token: TOKEN });
});
afterEach(async () => {
  await emu.stop();
});

/** A context as an entry point builds it, recording its info and warning lines. */
function contextFor(url: string, lines: { level: string; message: string }[]): WorkflowContext {
  return {
    client: createVvpClient({ baseUrl: url, token: TOKEN, retryBaseMs: 1 }),
    actor: 'Pulumi',
    subject: 'deployment default/orders',
    warn: (message) => lines.push({ level: 'warn', message }),
    info: (message) => lines.push({ level: 'info', message }),
  };
}

const desired = (parallelism: number) => ({
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    state: 'CANCELLED' as const,
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR' as const, jarUri: 's3://bucket/job.jar' }, parallelism } },
  },
});
const ref = { namespace: 'default', name: 'orders' };
const eventPosts = () => emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events'));

describe('recordEvent', () => {
  it('a 404 on POST /events gives one info line over several writes and both entry points, then no more POSTs', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/api/v1/namespaces/default/events$', status: 404 });
    const lines: { level: string; message: string }[] = [];
    const pulumi = contextFor(emu.url, lines);
    const operator = { ...contextFor(emu.url, lines), actor: 'Kubernetes operator' as const };
    const base = { ref, ownership, adopt: false, adoptHint: 'adopt', mode: 'PATCH' as const };
    await createOrAdopt(operator, { ...base, desired: desired(1) });
    for (const p of [2, 3, 4])
      await project(p % 2 ? operator : pulumi, { ref, mode: 'PATCH', desired: desired(p), ownership });
    expect(lines).toEqual([
      {
        level: 'info',
        message: `VVP at ${emu.url} has no events endpoint (POST /api/v1/namespaces/default/events answered 404): VVP-side events are skipped for this VVP from now on`,
      },
    ]);
    expect(eventPosts()).toHaveLength(1);
    expect(emu.store.getDeployment('default', 'orders').spec.template?.spec?.parallelism).toBe(4);
  });

  it('against profile vvp-2.4 (no POST /events: 405) the same single info line, with no fault injected', async () => {
    await emu.stop();
    emu = await startEmulator({ profile: 'vvp-2.4', defaultTarget: 'default', transitionDelayMs: 10, token: TOKEN });
    const lines: { level: string; message: string }[] = [];
    const ctx = contextFor(emu.url, lines);
    await createOrAdopt(ctx, { ref, ownership, adopt: false, adoptHint: 'adopt', mode: 'PATCH', desired: desired(1) });
    await project(ctx, { ref, mode: 'PATCH', desired: desired(2), ownership });
    expect(lines).toEqual([
      {
        level: 'info',
        message: `VVP at ${emu.url} has no events endpoint (POST /api/v1/namespaces/default/events answered 405): VVP-side events are skipped for this VVP from now on`,
      },
    ]);
    expect(eventPosts().map((r) => r.status)).toEqual([405]);
  });

  it('another failure of the events endpoint stays a best-effort warning and events are posted again after it', async () => {
    emu.faults.addRoute({ method: 'POST', path: '/events$', status: 400, times: 1 });
    const lines: { level: string; message: string }[] = [];
    const ctx = contextFor(emu.url, lines);
    await createOrAdopt(ctx, { ref, ownership, adopt: false, adoptHint: 'adopt', mode: 'PATCH', desired: desired(1) });
    await project(ctx, { ref, mode: 'PATCH', desired: desired(2), ownership });
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]!.message).toContain('could not record the VVP event "Pulumi created deployment" (best effort)');
    expect(eventPosts()).toHaveLength(2);
  });
});
