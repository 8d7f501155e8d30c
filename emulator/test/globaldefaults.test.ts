/** Global deployment defaults given to the emulator (ADR 0009): checked, served by GET, merged into new deployments. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkGlobalDefaults, loadGlobalDefaults, MAX_GLOBAL_DEFAULTS_BYTES } from '../src/globaldefaults';
import { GLOBAL_DEFAULTS, ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { modelOf, PROFILES } from '../src/profiles';
import { call, D, jar, PLATFORM } from './support';

const vvp3 = modelOf(PROFILES['vvp-3']);
let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe('global defaults', () => {
  it('serves the built-in ones without the option', async () => {
    emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler() });
    const r = await call(emu, 'GET', '/api/v1/global-deployment-defaults');
    expect(r.body).toEqual({ kind: 'DeploymentDefaults', apiVersion: 'v1', metadata: {}, spec: GLOBAL_DEFAULTS });
  });

  it('replaces the built-in ones: GET serves them and new deployments get them (bare spec or {spec})', async () => {
    const spec = { upgradeStrategy: { kind: 'stateless' }, template: { spec: { parallelism: 4 } } };
    for (const globalDefaults of [spec, { kind: 'DeploymentDefaults', spec }]) {
      emu = await startEmulator({ ...PLATFORM, scheduler: new ManualScheduler(), globalDefaults });
      const r = await call(emu, 'GET', '/api/v1/global-deployment-defaults');
      expect(r.body.spec).toEqual({ upgradeStrategy: { kind: 'STATELESS' }, template: { spec: { parallelism: 4 } } });
      const d = await call(emu, 'POST', D, jar());
      expect([d.body.spec.upgradeStrategy.kind, d.body.spec.template.spec.parallelism]).toEqual(['STATELESS', 4]);
      expect(d.body.spec).not.toHaveProperty('restoreStrategy');
      await emu.stop();
      emu = undefined;
    }
  });

  it('a bad field or a field outside the model is an error naming the option and the field path', async () => {
    await expect(startEmulator({ globalDefaults: { state: 'GONE' } })).rejects.toThrow(
      "globalDefaults: Invalid spec.state 'GONE': use RUNNING, CANCELLED or SUSPENDED",
    );
    await expect(startEmulator({ globalDefaults: { template: { spec: { paralelism: 2 } } } })).rejects.toThrow(
      'globalDefaults: Unknown field spec.template.spec.paralelism: the vvp-3 model has no such field',
    );
    await expect(startEmulator({ globalDefaults: { spec: {}, extra: 1 } as never })).rejects.toThrow(
      'globalDefaults: unknown field extra beside spec',
    );
    // the lenient profile keeps unknown fields, also here
    expect(checkGlobalDefaults({ batchSpec: {} }, modelOf(PROFILES.lenient), 'x')).toEqual({ batchSpec: {} });
  });

  it('reads JSON and YAML files; a missing file, bad syntax or a bad field names the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-gd-'));
    try {
      const yaml = path.join(dir, 'd.yaml');
      fs.writeFileSync(yaml, 'spec:\n  restoreStrategy:\n    kind: latest_savepoint\n');
      expect(loadGlobalDefaults(yaml, vvp3)).toEqual({ restoreStrategy: { kind: 'LATEST_SAVEPOINT' } });
      const json = path.join(dir, 'd.json');
      fs.writeFileSync(json, JSON.stringify({ maxJobCreationAttempts: 'many' }));
      expect(() => loadGlobalDefaults(json, vvp3)).toThrow(
        `--global-defaults ${json}: Invalid spec.maxJobCreationAttempts 'many': must be an integer`,
      );
      fs.writeFileSync(json, '[1,');
      expect(() => loadGlobalDefaults(json, vvp3)).toThrow(`--global-defaults ${json}: not valid JSON`);
      fs.writeFileSync(yaml, '- 1\n');
      expect(() => loadGlobalDefaults(yaml, vvp3)).toThrow(
        `--global-defaults ${yaml}: the global defaults must be an object`,
      );
      expect(() => loadGlobalDefaults(path.join(dir, 'none.yaml'), vvp3)).toThrow('cannot read the file (ENOENT)');
      // a device that never ends, a directory, a file over the limit: refused before reading
      expect(() => loadGlobalDefaults('/dev/zero', vvp3)).toThrow(
        '--global-defaults /dev/zero: not a regular file (a device, FIFO or socket); pass a JSON or YAML file',
      );
      expect(() => loadGlobalDefaults(dir, vvp3)).toThrow(`--global-defaults ${dir}: not a regular file (a directory)`);
      fs.writeFileSync(yaml, 'x'.repeat(MAX_GLOBAL_DEFAULTS_BYTES + 1));
      expect(() => loadGlobalDefaults(yaml, vvp3)).toThrow(
        `--global-defaults ${yaml}: ${MAX_GLOBAL_DEFAULTS_BYTES + 1} bytes, more than the limit of ${MAX_GLOBAL_DEFAULTS_BYTES}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
