/** The profile table (ADR 0009) and what each profile does to a write: unknown fields, description, engine version, enums, events, targets. */
import { ManualScheduler, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../src/index';
import { MODELS, type FieldType } from '../src/model';
import { DEFAULT_PROFILE, ENGINE_VERSION_PATH, PROFILES, modelOf, profileNamed } from '../src/profiles';
import { call as callOn, D, jar } from './support';

let emu: EmulatorHandle | undefined;
async function start(options: EmulatorOptions): Promise<EmulatorHandle> {
  emu = await startEmulator({ scheduler: new ManualScheduler(), defaultTarget: 'default', ...options });
  return emu;
}
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});
const call = (method: string, p: string, body?: unknown) => callOn(emu!, method, p, body);

/** The field type at a dotted path of a deployment (`metadata.x` or `spec.x`), if the model has it. */
function fieldAt(model: keyof typeof MODELS, path: string): FieldType | undefined {
  const [root, ...rest] = path.split('.');
  let t: FieldType | undefined =
    root === 'metadata' ? MODELS[model].deploymentMetadata : root === 'spec' ? MODELS[model].deploymentSpec : undefined;
  for (const k of rest) t = t && typeof t === 'object' && 'fields' in t ? t.fields[k] : undefined;
  return t;
}

/** A deployment body with fields the closed 2.4.3 model does not have, and one no model has. */
const rich = () => {
  const b = jar('rich') as any;
  b.metadata.description = 'team payments';
  b.metadata.bogusMeta = 1;
  b.spec.bogusSpec = true;
  b.spec.template.spec.paralellism = 3;
  b.spec.template.spec.artifact = { kind: 'JAR', jarUri: 's3://b/a.jar', engineVersionName: 'vera-4.1-flink-1.20' };
  b.spec.template.spec.artifact.flinkVersion = '1.17';
  b.spec.template.spec.artifact.typo = 'x';
  return b;
};

describe('profile table', () => {
  it('has vvp-2.4, vvp-3 and lenient, vvp-3 by default, each naming its model and policies', () => {
    expect(Object.keys(PROFILES)).toEqual(['vvp-2.4', 'vvp-3', 'lenient']);
    expect(DEFAULT_PROFILE).toBe('vvp-3');
    expect(Object.values(PROFILES).map((p) => [p.name, p.unknownFields, p.eventsPost, p.writeProtection])).toEqual([
      ['vvp-2.4', 'drop', false, false],
      ['vvp-3', 'drop', true, true],
      ['lenient', 'keep', true, false],
    ]);
    expect(Object.values(PROFILES).every((p) => p.upperCaseEnums)).toBe(true);
    expect(() => profileNamed('vvp-9')).toThrow('profile must be one of vvp-2.4, vvp-3, lenient (got "vvp-9")');
    expect(modelOf(PROFILES['vvp-3'], 'reject').unknownFields).toBe('reject');
  });

  it("agrees with each profile's model: description and the engine version placement", () => {
    for (const p of Object.values(PROFILES)) {
      expect([p.name, fieldAt(p.model, 'metadata.description') !== undefined]).toEqual([
        p.name,
        p.deploymentDescription,
      ]);
      expect([p.name, fieldAt(p.model, ENGINE_VERSION_PATH) !== undefined]).toEqual([p.name, !!p.engineVersionPath]);
      expect(fieldAt(p.model, 'spec.template.spec.artifact.flinkVersion')).toBe('string');
    }
    expect(PROFILES['vvp-3'].engineVersionPath).toBe('spec.template.spec.artifact.engineVersionName');
    expect(fieldAt('vvp-2.4', 'spec.template.spec.artifact.pythonArtifactUri')).toBeUndefined();
  });
});

describe('writes per profile', () => {
  it('vvp-2.4 drops unknown fields, metadata.description and artifact.engineVersionName; keeps flinkVersion', async () => {
    await start({ profile: 'vvp-2.4' });
    const r = await call('POST', D, rich());
    expect(r.status).toBe(201);
    expect(r.body.metadata).not.toHaveProperty('description');
    expect(r.body.metadata).not.toHaveProperty('bogusMeta');
    expect(r.body.spec).not.toHaveProperty('bogusSpec');
    expect(r.body.spec.template.spec).not.toHaveProperty('paralellism');
    expect(r.body.spec.template.spec.artifact).toEqual({ kind: 'JAR', jarUri: 's3://b/a.jar', flinkVersion: '1.17' });
    const p = await call('PATCH', `${D}/rich`, { metadata: { description: 'x' }, spec: { bogus: 1 } });
    expect(p.status).toBe(200);
    expect(p.body.metadata).not.toHaveProperty('description');
    expect(p.body.spec).not.toHaveProperty('bogus');
    const kind = await call('POST', D, jar('py', { template: { spec: { artifact: { kind: 'PYTHON' } } } }));
    expect([kind.status, kind.body.message]).toEqual([400, expect.stringContaining('use JAR or SQLSCRIPT')]);
  });

  it('vvp-3 keeps description (PUT never changes it) and artifact.engineVersionName, drops the rest', async () => {
    await start({});
    const r = await call('POST', D, rich());
    expect(r.status).toBe(201);
    expect(r.body.metadata.description).toBe('team payments');
    expect(r.body.metadata).not.toHaveProperty('bogusMeta');
    expect(r.body.spec).not.toHaveProperty('bogusSpec');
    expect(r.body.spec.template.spec.artifact.engineVersionName).toBe('vera-4.1-flink-1.20');
    expect(r.body.spec.template.spec.artifact).not.toHaveProperty('typo');
    const misplaced = await call('PATCH', `${D}/rich`, { spec: { template: { spec: { engineVersionName: 'v' } } } });
    expect(misplaced.body.spec.template.spec).not.toHaveProperty('engineVersionName');
    const put = await call('PUT', `${D}/rich`, jar('rich'));
    expect(put.status).toBe(200);
    expect(put.body.metadata.description).toBe('team payments');
    const put2 = await call('PUT', `${D}/rich`, { ...jar('rich'), metadata: { name: 'rich', description: 'new' } });
    expect(put2.body.metadata.description).toBe('team payments');
  });

  it('lenient keeps every unknown field (ADR 0002)', async () => {
    await start({ profile: 'lenient' });
    const r = await call('POST', D, rich());
    expect(r.body.metadata.bogusMeta).toBe(1);
    expect(r.body.spec.bogusSpec).toBe(true);
    expect(r.body.spec.template.spec.paralellism).toBe(3);
    expect(r.body.spec.template.spec.artifact.typo).toBe('x');
  });

  it.each(['vvp-2.4', 'vvp-3', 'lenient'] as const)(
    '%s with unknownFields reject answers 400 naming the first unknown field',
    async (profile) => {
      await start({ profile, unknownFields: 'reject' });
      const r = await call('POST', D, { ...jar('r'), metadata: { name: 'r', bogusMeta: 1 } });
      expect(r.status).toBe(400);
      expect(r.body.message).toBe(
        `Unknown field metadata.bogusMeta: the ${profile} model has no such field; check its spelling or remove it (unknown fields are rejected)`,
      );
      const deep = await call(
        'POST',
        D,
        jar('r', { template: { spec: { paralellism: 2, artifact: { kind: 'JAR', jarUri: 'x' } } } }),
      );
      expect(deep.body.message).toContain('Unknown field spec.template.spec.paralellism');
      expect((await call('GET', D)).body.items).toEqual([]);
    },
  );

  it('vvp-3 with unknownFields keep stores unknown fields', async () => {
    await start({ unknownFields: 'keep' });
    expect((await call('POST', D, rich())).body.spec.bogusSpec).toBe(true);
  });

  it.each(['vvp-2.4', 'vvp-3', 'lenient'] as const)(
    '%s stores lowercase kinds upper-cased; other values stay 400',
    async (profile) => {
      await start({ profile });
      const body = jar('lower', {
        upgradeStrategy: { kind: 'stateless' },
        restoreStrategy: { kind: 'latest_state' },
        template: { spec: { artifact: { kind: 'sqlscript', sqlScript: 'SELECT 1' } } },
      });
      const r = await call('POST', D, body);
      expect(r.status).toBe(201);
      expect([r.body.spec.upgradeStrategy.kind, r.body.spec.restoreStrategy.kind]).toEqual([
        'STATELESS',
        'LATEST_STATE',
      ]);
      expect(r.body.spec.template.spec.artifact.kind).toBe('SQLSCRIPT');
      const p = await call('PATCH', `${D}/lower`, {
        spec: { template: { spec: { artifact: { kind: 'jar', jarUri: 'x' } } } },
      });
      expect(p.body.spec.template.spec.artifact.kind).toBe('JAR');
      const bad = await call('PATCH', `${D}/lower`, { spec: { state: 'running' } });
      expect([bad.status, bad.body.message]).toEqual([
        400,
        "Invalid spec.state 'running': use RUNNING, CANCELLED or SUSPENDED",
      ]);
      const defaults = await call('PATCH', '/api/v1/namespaces/default/deployment-defaults', {
        spec: { upgradeStrategy: { kind: 'none' } },
      });
      expect(defaults.body.spec.upgradeStrategy.kind).toBe('NONE');
    },
  );

  it('vvp-2.4 answers POST /events with 405 and a message; vvp-3 accepts it; GET lists events in both', async () => {
    const event = { metadata: { name: 'EXTERNAL' }, spec: { message: 'hello' } };
    await start({ profile: 'vvp-2.4' });
    const r = await call('POST', '/api/v1/namespaces/default/events', event);
    expect(r.status).toBe(405);
    expect(r.body.message).toContain('POST /api/v1/namespaces/default/events is not supported by vvp-2.4');
    expect((await call('GET', '/api/v1/namespaces/default/events')).status).toBe(200);
    await emu!.stop();
    await start({ profile: 'vvp-3' });
    expect((await call('POST', '/api/v1/namespaces/default/events', event)).status).toBe(201);
  });
});

describe('deployment targets', () => {
  it('a namespace has no target without defaultTarget; a deployment naming a missing one is 400 naming it', async () => {
    emu = await startEmulator({ scheduler: new ManualScheduler() });
    expect((await call('GET', '/api/v1/namespaces/default/deployment-targets')).body.items).toEqual([]);
    const r = await call('POST', D, jar());
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      "Deployment target 'default' does not exist in namespace 'default' (spec.deploymentTargetName)",
    );
    emu.store.createNamespace('team-a');
    expect(emu.store.listTargets('team-a')).toEqual([]);
  });

  it('defaultTarget gives every namespace that target (vvp-jobs for default, else the namespace name)', async () => {
    await start({ defaultTarget: 'main' });
    emu!.store.createNamespace('team-a');
    expect(emu!.store.listTargets('default').map((t: any) => [t.metadata.name, t.spec.kubernetes.namespace])).toEqual([
      ['main', 'vvp-jobs'],
    ]);
    expect(emu!.store.listTargets('team-a').map((t: any) => t.spec.kubernetes.namespace)).toEqual(['team-a']);
    await expect(startEmulator({ defaultTarget: 'a b' })).rejects.toThrow(
      'defaultTarget must be a deployment target name',
    );
  });
});
