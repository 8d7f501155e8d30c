/** --data-dir: every 2xx write is on disk before the answer; a failed save answers 5xx and the server goes on. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { Durable, makeDataDir, STATE_FILE } from '../src/persistence';
import { call as callOn, D, jar, PLATFORM } from './support';

let emu: EmulatorHandle;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vvp-emu-'));
});
afterEach(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
const saved = () => JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8'));
const savedNames = () =>
  saved()
    .namespaces.find((n: any) => n.name === 'default')
    .deployments.map((r: any) => r.deployment.metadata.name);

describe('--data-dir', () => {
  it('keeps deployments across a restart, resuming the state machine', async () => {
    const clock = new ManualScheduler();
    emu = await startEmulator({ ...PLATFORM, scheduler: clock, dataDir: dir });
    const { body } = await call('POST', D, jar('kept', { state: 'RUNNING' }));
    clock.runAll();
    await emu.stop();
    emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), dataDir: dir });
    const again = (await call('GET', `${D}/kept`)).body;
    expect(again.metadata.id).toBe(body.metadata.id);
    expect(again.status.state).toBe('RUNNING');
  });

  it('a write is in the state file before its 2xx arrives', async () => {
    emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), dataDir: dir });
    for (const name of ['a', 'b', 'c']) {
      expect((await call('POST', D, jar(name))).status).toBe(201);
      expect(savedNames()).toContain(name);
    }
    expect((await call('PATCH', `${D}/b`, { metadata: { labels: { x: 'y' } } })).status).toBe(200);
    expect(
      saved().namespaces[0].deployments.find((r: any) => r.deployment.metadata.name === 'b').deployment.metadata.labels,
    ).toEqual({ x: 'y' });
  });

  it('a full disk answers 507 and a removed directory 503, with a JSON message; the server keeps serving', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), dataDir: dir });
    const tmp = path.join(dir, `${STATE_FILE}.tmp`);
    symlinkSync('/dev/full', tmp);
    const full = await call('POST', D, jar('full'));
    expect(full.status).toBe(507);
    expect(full.body.message).toContain('could not save its state in --data-dir');
    expect(full.body.message).toContain('ENOSPC');
    unlinkSync(tmp);
    expect((await call('POST', D, jar('after-full'))).status).toBe(201);
    expect(savedNames()).toEqual(expect.arrayContaining(['full', 'after-full']));

    rmSync(dir, { recursive: true, force: true });
    const gone = await call('POST', D, jar('gone'));
    expect(gone.status).toBe(503);
    expect(gone.body.message).toContain('ENOENT');
    expect((await call('GET', '/api/v1/status')).status).toBe(200);
    mkdirSync(dir);
    expect((await call('POST', D, jar('back'))).status).toBe(201);
    expect(existsSync(path.join(dir, STATE_FILE))).toBe(true);
    expect(savedNames()).toEqual(expect.arrayContaining(['gone', 'back']));
    // each failure is logged once, and so is the recovery
    expect(log.mock.calls.map(([line]) => String(line).replace(/ \(.*$/, ''))).toEqual([
      'vvp-emulator: The emulator could not save its state in --data-dir ' + dir,
      'vvp-emulator: saving the state works again',
      'vvp-emulator: The emulator could not save its state in --data-dir ' + dir,
      'vvp-emulator: saving the state works again',
    ]);
    log.mockRestore();
  });

  it('group commit: concurrent commits share saves, and each resolves only after a save that started after it', async () => {
    let state = 0;
    const writes: number[] = [];
    let release: () => void = () => undefined;
    const durable = new Durable(dir, () => ({ state }), {
      write: (_d, _f, text) =>
        new Promise<void>((resolve) => {
          writes.push(JSON.parse(text).state);
          release = resolve;
        }),
    });
    state = 1;
    const first = durable.commit();
    state = 2;
    const second = durable.commit();
    state = 3;
    const third = durable.commit();
    expect(writes).toEqual([1]);
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([1, 3]);
    release();
    await Promise.all([second, third]);
  });
});

describe('makeDataDir (--data-dir)', () => {
  it('creates missing parents, accepts an existing directory, and names the flag and the fix when it cannot', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vvp-datadir-'));
    try {
      const nested = path.join(root, 'a', 'b', 'c');
      makeDataDir(nested);
      expect(statSync(nested).isDirectory()).toBe(true);
      expect(() => makeDataDir(nested)).not.toThrow();
      const file = path.join(root, 'file');
      writeFileSync(file, 'x');
      expect(() => makeDataDir(path.join(file, 'd'))).toThrow(
        `cannot create --data-dir ${path.join(file, 'd')} (ENOTDIR: not a directory, mkdir '${path.join(file, 'd')}'): pass a directory the emulator may create and write`,
      );
      // Node's own recursive mkdir never returns here; this answers at once
      expect(() => makeDataDir('/proc/vvp-emulator-test/state')).toThrow(
        /^cannot create --data-dir \/proc\/vvp-emulator-test\/state \(ENOENT/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
