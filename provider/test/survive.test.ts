/** Strict VVPs (ADR 0011) through the handlers, over the fake client: fields not kept, Autopilot-owned drift. */
import { providerInputs } from '../../tests/fixtures/seed';
import { AutopilotModes } from '../../core/src/autopilot';
import { FakeVvpClient } from '../../vvp-client/src/testing';
import { createHandlers, type Handlers } from '../src/handlers';

let client: FakeVvpClient;
let logs: { level: string; message: string }[];
let h: Handlers;
const warnings = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);
const props = (spec: Record<string, unknown> = {}) =>
  providerInputs('orders', { baseUrl: 'http://fake-vvp', resourceUrn: 'urn:x' }, { waitFor: { state: false } }, spec);

beforeEach(() => {
  client = new FakeVvpClient();
  logs = [];
  h = createHandlers({
    clientFor: () => client,
    log: {
      info: (m) => logs.push({ level: 'info', message: m }),
      warn: (m) => logs.push({ level: 'warn', message: m }),
    },
    env: {},
  });
});

describe('fields VVP did not keep', () => {
  const typo = { template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a.jar' }, paralellism: 2 } } };

  it('one warning when the set appears, recorded in the outputs; silent while it stays; no write without a change', async () => {
    client.dropPaths = [['spec', 'template', 'spec', 'paralellism']];
    const c = await h.create(props(typo));
    expect(warnings()).toEqual([
      'deployment default/orders: VVP did not keep field spec.template.spec.paralellism: check its spelling and the VVP version',
    ]);
    expect(c.outs.fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
    // refresh: no drift, the set stays recorded
    const r = await h.read(c.id, c.outs);
    expect(r.props?.fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
    expect((await h.diff(c.id, r.props!, props(typo))).changes).toBe(false);
    // another edit projects again: the same set is not said again and stays recorded
    const writes = client.writes().length;
    const u = await h.update(c.id, r.props!, props({ ...typo, maxJobCreationAttempts: 3 }));
    expect(client.writes().length).toBe(writes + 1);
    expect(u.outs.fieldsNotKept).toEqual(['spec.template.spec.paralellism']);
    expect(warnings()).toHaveLength(1);
  });

  it('the set is cleared once VVP keeps every field', async () => {
    client.dropPaths = [['metadata', 'description']];
    const c = await h.create(props());
    client.dropPaths = [];
    const u = await h.update(
      c.id,
      { ...c.outs, fieldsNotKept: ['metadata.description'] },
      props({ maxJobCreationAttempts: 3 }),
    );
    expect(u.outs.fieldsNotKept).toBeUndefined();
  });
});

describe('refresh with Autopilot', () => {
  const spec = { template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a.jar' }, parallelism: 2 } } };

  it('ACTIVE: Autopilot-owned drift is a warning, not a change for pulumi up to undo', async () => {
    const c = await h.create(props(spec));
    client.autopilot = new Map([[c.id, { mode: AutopilotModes.ACTIVE, scalingInProgress: false }]]);
    await client.patchDeployment('default', 'orders', { spec: { template: { spec: { parallelism: 3 } } } });
    const r = await h.read(c.id, c.outs);
    expect(warnings()).toEqual([
      "deployment default/orders: Autopilot (mode ACTIVE) changed spec.template.spec.parallelism; `pulumi up` leaves Autopilot's values alone",
    ]);
    expect((await h.diff(c.id, r.props!, props(spec))).changes).toBe(false);
  });

  it('not ACTIVE: the same drift is out-of-band and projected again', async () => {
    const c = await h.create(props(spec));
    await client.patchDeployment('default', 'orders', { spec: { template: { spec: { parallelism: 3 } } } });
    const r = await h.read(c.id, c.outs);
    expect(warnings()[0]).toMatch(/changed outside Pulumi at spec\.template\.spec\.parallelism/);
    expect((await h.diff(c.id, r.props!, props(spec))).changes).toBe(true);
  });

  it('reads the Autopilot status only when an Autopilot-owned field drifted', async () => {
    const c = await h.create(props(spec));
    await h.read(c.id, c.outs);
    await client.patchDeployment('default', 'orders', { spec: { maxJobCreationAttempts: 9 } });
    await h.read(c.id, c.outs);
    expect(client.callsOf('getAutopilotStatus')).toEqual([]);
  });
});

describe('check: did you mean', () => {
  it('warns about a field schema.json does not know and passes it on', async () => {
    const news = props({ template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a.jar' }, paralellism: 2 } } });
    const r = await h.check({}, news);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toBe(news);
    expect(warnings()).toEqual([
      expect.stringContaining('spec.template.spec.paralellism is not a known VVP field: did you mean parallelism?'),
    ]);
  });
});
