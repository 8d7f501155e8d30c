/** read() (refresh) against the emulator: drift per sync mode, a deployment gone out of band. */
import { emu, h, name, warnings, inputs, putInputs } from './fixture';

describe('read (refresh)', () => {
  it('reports no drift when nothing changed', async () => {
    const c = await h.create(inputs());
    const r = await h.read(c.id, c.outs);
    expect(r.inputs?.deployment).toEqual(inputs().deployment);
    expect(warnings()).toEqual([]);
  });
  it('in PATCH mode reports drift of managed fields only and returns inputs so the next diff projects again', async () => {
    const c = await h.create(inputs({}, { maxJobCreationAttempts: 2 }));
    emu.store.patchDeployment('default', name, {
      spec: { maxJobCreationAttempts: 5, maxSavepointCreationAttempts: 9 },
    });
    const r = await h.read(c.id, c.outs);
    expect(warnings()).toEqual([expect.stringMatching(/changed outside Pulumi at spec\.maxJobCreationAttempts;/)]);
    expect((r.inputs?.deployment as { spec: Record<string, unknown> }).spec.maxJobCreationAttempts).toBe(5);
    expect(
      (r.inputs?.deployment as { spec: Record<string, unknown> }).spec.maxSavepointCreationAttempts,
    ).toBeUndefined();
    expect((await h.diff(c.id, r.props!, inputs({}, { maxJobCreationAttempts: 2 }))).changes).toBe(true);
  });
  it('in PUT mode reports drift of any field', async () => {
    const c = await h.create(putInputs());
    emu.store.patchDeployment('default', name, { spec: { maxSavepointCreationAttempts: 9 } });
    const r = await h.read(c.id, c.outs);
    expect(warnings()[0]).toMatch(/changed outside Pulumi at .*spec\.maxSavepointCreationAttempts/);
    expect((r.props?.deployment as { spec: Record<string, unknown> }).spec.maxSavepointCreationAttempts).toBe(9);
    expect((await h.diff(c.id, r.props!, putInputs())).changes).toBe(true);
  });
  it('reports a deployment deleted out of band as gone', async () => {
    const c = await h.create(inputs());
    emu.store.deleteDeployment('default', name);
    expect((await h.read(c.id, c.outs)).id).toBe('');
  });
});
