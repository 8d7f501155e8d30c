/** Secret values: CRUD, the write-only value (never in answers, errors or the request log), validation, durability. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualScheduler, startEmulator, type EmulatorHandle } from '../src/index';
import { STATE_FILE } from '../src/persistence';
import { call as callOn } from './support';

const S = '/api/v1/namespaces/default/secret-values';
const VALUE = 'hunter2-very-secret';
let emu: EmulatorHandle;
const call = (method: string, p: string, body?: unknown) => callOn(emu, method, p, body);
const secret = (name = 'db', spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { kind: 'Plain', value: VALUE, ...spec },
});
const stored = (name: string) =>
  emu.store.state.namespaces.get('default')!.secretValues!.get(name)!.spec as Record<string, unknown>;
beforeEach(async () => {
  emu = await startEmulator({ scheduler: new ManualScheduler() });
});
afterEach(async () => {
  await emu.stop();
});

describe('secret values', () => {
  it('POST 201, GET, list, PATCH, DELETE: no answer ever contains spec.value', async () => {
    const answers = [];
    const created = await call('POST', S, secret('db', { value: VALUE }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'SecretValue',
      metadata: { name: 'db', namespace: 'default' },
      spec: { kind: 'Plain' },
    });
    answers.push(created, await call('GET', `${S}/db`), await call('GET', S));
    expect(answers[2]!.body).toMatchObject({ kind: 'SecretValueList', items: [{ metadata: { name: 'db' } }] });
    const patched = await call('PATCH', `${S}/db`, {
      metadata: { labels: { team: 'a' } },
      spec: { value: `${VALUE}-2` },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).toMatchObject({ labels: { team: 'a' }, resourceVersion: 2 });
    expect(stored('db').value).toBe(`${VALUE}-2`);
    answers.push(patched, await call('POST', S, secret('db')), await call('DELETE', `${S}/db`));
    expect(answers[4]!.status).toBe(409);
    expect(answers[5]!.status).toBe(200);
    expect((await call('GET', `${S}/db`)).status).toBe(404);
    for (const a of answers) {
      expect(JSON.stringify(a.body)).not.toContain(VALUE);
      expect(a.body.spec?.value).toBeUndefined();
    }
    expect(JSON.stringify(emu.requests)).not.toContain(VALUE);
  });

  it.each([
    [secret('db', { kind: 'Vault' }), "Invalid spec.kind 'Vault': use Plain"],
    [secret('db', { kind: undefined }), 'Invalid spec.kind undefined: use Plain'],
    [secret('db', { value: undefined }), 'spec.value is required'],
    [secret('db', { value: '' }), 'spec.value is required'],
    [secret('db', { value: 12345678 }), 'Invalid spec.value (number, not shown): must be a string'],
    [secret('db', { value: { v: VALUE } }), 'Invalid spec.value (object, not shown)'],
    [secret('../etc'), "Invalid metadata.name '../etc'"],
    [secret('-x'), "Invalid metadata.name '-x'"],
    [secret('x'.repeat(300)), 'Invalid metadata.name'],
    [{ metadata: { name: 5 }, spec: secret().spec }, 'Invalid metadata.name 5: must be a string'],
    [{ metadata: { name: 'db', labels: { a: 1 } }, spec: secret().spec }, 'metadata.labels.a'],
    [{ metadata: 'db' }, "Invalid metadata 'db': must be an object"],
  ])('hostile or wrong input is a 400 naming the field, never the value (%#)', async (body, message) => {
    const r = await call('POST', S, body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
    expect(r.body.message).not.toContain(VALUE);
    expect(r.body.message).not.toContain('12345678');
  });

  it('PATCH checks kind and value the same way; an unknown secret is 404; a huge body 413', async () => {
    await call('POST', S, secret());
    expect((await call('PATCH', `${S}/db`, { spec: { kind: 'KMS' } })).body.message).toContain(
      "Invalid spec.kind 'KMS'",
    );
    expect((await call('PATCH', `${S}/db`, { spec: { value: 7 } })).status).toBe(400);
    expect((await call('PATCH', `${S}/db`, { metadata: { name: 'x' } })).body.message).toContain('immutable');
    expect((await call('PATCH', `${S}/nope`, { spec: {} })).status).toBe(404);
    expect((await call('POST', S, secret('big', { value: 'x'.repeat(1_100_000) }))).status).toBe(413);
    expect(stored('db').value).toBe(VALUE);
  });
});

describe('secret values: unknown fields', () => {
  it('reject: a GET answer sent back as PATCH is fine, a misspelt field is 400 naming it (not the value)', async () => {
    await emu.stop();
    emu = await startEmulator({ scheduler: new ManualScheduler(), unknownFields: 'reject' });
    const got = (await call('POST', S, secret())).body;
    expect((await call('PATCH', `${S}/db`, got)).status).toBe(200);
    const typo = await call('POST', S, {
      metadata: { name: 'x' },
      spec: { kind: 'Plain', value: VALUE, valeu: VALUE },
    });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toContain('Unknown field spec.valeu');
    expect(typo.body.message).not.toContain(VALUE);
  });
});

describe('secret values: --data-dir', () => {
  it('the value survives a restart in an owner-only state file; GET still hides it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    await emu.stop();
    emu = await startEmulator({ scheduler: new ManualScheduler(), dataDir: dir });
    await call('POST', S, secret());
    await emu.stop();
    const file = path.join(dir, STATE_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(VALUE);
    emu = await startEmulator({ scheduler: new ManualScheduler(), dataDir: dir });
    expect(stored('db').value).toBe(VALUE);
    expect(JSON.stringify((await call('GET', `${S}/db`)).body)).not.toContain(VALUE);
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
