/** vvp:index:SecretValue handlers: write-only value, rewrite on valueVersion, the value never in messages or errors. */
import { CONN, fake, handlers, logs, writes } from './fixture';

const VALUE = 'hunter2-s3cr3t-value';
const path = '/api/v1/namespaces/default/secret-values';
const inputs = (over: Record<string, unknown> = {}) => ({ name: 'db-password', value: VALUE, ...CONN, ...over });

describe('SecretValue handlers', () => {
  it('creates it as kind Plain; VVP answers without the value', async () => {
    const h = handlers('SecretValue');
    const { id, outs } = await h.create(inputs());
    expect(fake.callsOf('request')[0]!.args).toEqual([
      'POST',
      path,
      { metadata: { name: 'db-password' }, spec: { kind: 'Plain', value: VALUE } },
    ]);
    expect(outs).toMatchObject({ secretValueId: id, kind: 'Plain' });
    expect((await h.diff(id, outs, inputs())).changes).toBe(false);
  });

  it('rewrites the value when it or valueVersion changes, and only then', async () => {
    const h = handlers('SecretValue');
    const { id, outs } = await h.create(inputs());
    expect(await h.diff(id, outs, inputs({ valueVersion: 2 }))).toMatchObject({ changes: true, replaces: [] });
    const v2 = await h.update(id, outs, inputs({ valueVersion: 2 }));
    await h.update(id, v2.outs, inputs({ valueVersion: 2, value: 'new-one' }));
    expect(writes()).toEqual([`POST ${path}`, `PATCH ${path}/db-password`, `PATCH ${path}/db-password`]);
    expect(fake.callsOf('request').at(-1)!.args[2]).toEqual({ spec: { kind: 'Plain', value: 'new-one' } });
  });

  it('keeps the recorded inputs on refresh (the value cannot be read) and sees a deletion', async () => {
    const h = handlers('SecretValue');
    const { id, outs } = await h.create(inputs());
    expect((await h.read(id, outs)).inputs).toMatchObject({ value: VALUE });
    fake.objects.delete(`${path}/db-password`);
    expect(await h.read(id, outs)).toEqual({ id: '' });
  });

  it('never logs the value, nor puts it in a refusal', async () => {
    const h = handlers('SecretValue');
    const { id } = await h.create(inputs());
    const err = await h.create(inputs()).catch((e: Error) => e);
    expect((err as Error).message).toContain('exists in VVP already');
    await h.delete(id, inputs());
    expect(JSON.stringify([logs, (err as Error).message])).not.toContain(VALUE);
  });
});
