/**
 * SIGKILL under concurrent writes with --data-dir: the emulator is killed 10 times while writers create
 * deployments and bump a label; after each restart every write that was answered 2xx must be there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordReliability } from './report';
import { deploymentBody, request, seeded, spawnEmulator, type EmulatorProcess } from './emulator-process';

const D = '/api/v1/namespaces/default/deployments';
const json = { 'content-type': 'application/json' };
const KILLS = 10;
const WRITERS = 8;

describe('emulator CLI killed under writes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vvp-emu-kill-'));
  let emu: EmulatorProcess | undefined;
  afterAll(async () => {
    if (emu?.alive()) await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged write over ${KILLS} SIGKILLs`, async () => {
    const rnd = seeded(7);
    const created = new Set<string>();
    /** The highest label value acknowledged per writer's deployment. */
    const bumped = new Map<string, number>();
    const pad = 'p'.repeat(4096); // a few MB of state by the end, so saves take real time
    let acknowledged = 0;
    let lost = 0;
    let crashes = 0;
    let serverErrors = 0;
    let serial = 0;
    const check = async (base: string) => {
      const r = await request(base, 'GET', D);
      const items: any[] = r.body?.items ?? [];
      const byName = new Map(items.map((d) => [d.metadata.name, d]));
      for (const name of created) if (!byName.has(name)) lost++;
      for (const [name, n] of bumped) if (Number(byName.get(name)?.metadata.labels?.n ?? -1) < n) lost++;
    };
    for (let round = 0; round <= KILLS; round++) {
      emu = await spawnEmulator(['--data-dir', dir, '--transition-delay-ms', '20']);
      await check(emu.url);
      if (round === KILLS) break;
      const base = emu.url;
      let stop = false;
      const writer = async (w: number) => {
        const own = `w${w}`;
        if (!created.has(own)) {
          const r = await request(base, 'POST', D, JSON.stringify(deploymentBody(own)), json);
          if (r.status === 201 || r.status === 409) created.add(own);
        }
        while (!stop) {
          const name = `d${serial++}`;
          const op = rnd() < 0.5 ? 'create' : 'bump';
          if (op === 'create') {
            const body = { ...deploymentBody(name), metadata: { name, annotations: { pad } } };
            const r = await request(base, 'POST', D, JSON.stringify(body), json);
            if (r.status === 0) return;
            if (r.status === 201) {
              created.add(name);
              acknowledged++;
            } else if (r.status >= 500) serverErrors++;
          } else {
            const n = (bumped.get(own) ?? 0) + 1;
            const r = await request(
              base,
              'PATCH',
              `${D}/${own}`,
              JSON.stringify({ metadata: { labels: { n: String(n) } } }),
              json,
            );
            if (r.status === 0) return;
            if (r.status >= 500) serverErrors++;
            if (r.status === 200) {
              bumped.set(own, n);
              acknowledged++;
            }
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 150 + Math.floor(rnd() * 250)));
      await emu.kill();
      stop = true;
      await Promise.all(writers);
      if (emu.child.signalCode !== 'SIGKILL') crashes++;
    }
    const alive = emu!.alive();
    recordReliability({
      surface: `emulator CLI --data-dir: ${KILLS} SIGKILLs under ${WRITERS} writers`,
      cases: acknowledged,
      crashes: crashes + (alive ? 0 : 1),
      serverErrors,
      lostWrites: lost,
      leaks: 0,
      unnamedRejections: 0,
    });
    expect(acknowledged).toBeGreaterThan(50);
    expect(lost).toBe(0);
    expect(crashes).toBe(0);
    expect(serverErrors).toBe(0);
    expect(alive).toBe(true);
  }, 60_000);
});
