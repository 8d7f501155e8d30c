/**
 * The access matrix of the emulator command line: every route × anonymous, viewer, editor, owner (namespace
 * `default`), the owner of another namespace and the platform admin (`--token`), against one table of expected
 * statuses. A route added without a row fails the coverage check.
 */
import { ROUTE_TABLE } from '../../emulator/src/routes';
import { recordReliability } from './report';
import { deploymentBody, request, spawnEmulator, type EmulatorProcess } from './emulator-process';

const ROOT = 'access-root';
const CALLERS = ['anonymous', 'viewer', 'editor', 'owner', 'otherOwner', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
const NS = '/api/v1/namespaces/default';

/** What one cell needs: a path and body, made fresh per cell when the call consumes something. */
type Make = (fx: Fixtures, cell: string) => Promise<{ path: string; body?: unknown }>;
interface Fixtures {
  admin(method: string, path: string, body?: unknown): Promise<any>;
  deploymentId: string;
  jobId: string;
  savepointId: string;
}

const fixed =
  (path: string, body?: unknown): Make =>
  async () => ({ path, ...(body !== undefined ? { body } : {}) });

const ok = (status: number, reader: 'viewer' | 'editor' | 'owner'): number[] => {
  const need = { viewer: 1, editor: 2, owner: 3 }[reader];
  // anonymous, viewer, editor, owner, otherOwner, admin
  return [401, need <= 1 ? status : 403, need <= 2 ? status : 403, status, 403, status];
};
const adminOnly = (status: number) => [401, 403, 403, 403, 403, status];

const sc = (name: string, state = 'STOPPED') => ({
  metadata: { name },
  spec: { state, deploymentTargetName: 'default' },
});
const SC = `${NS}/sessionclusters`;
const SV = `${NS}/secret-values`;
const AP = '/autopilot/v1alpha1/namespaces/{ns}/deployments/{deploymentId}/autopilotpolicy';
const ap = (f: Fixtures) => `/autopilot/v1alpha1/namespaces/default/deployments/${f.deploymentId}/autopilotpolicy`;
const sv = (name: string) => ({ metadata: { name }, spec: { kind: 'Plain', value: 'v' } });
/** Rows of the session cluster, secret value and Autopilot routes (ADR 0010). */
function resourceRows(): [string, string, Make, number[]][] {
  const cluster: Make = async (f, c) => {
    await f.admin('POST', SC, sc(`c-${c}`));
    return { path: `${SC}/c-${c}` };
  };
  const secretValue: Make = async (f, c) => {
    await f.admin('POST', SV, sv(`s-${c}`));
    return { path: `${SV}/s-${c}` };
  };
  return [
    ['GET', '/api/v1/namespaces/{ns}/sessionclusters', fixed(SC), ok(200, 'viewer')],
    [
      'POST',
      '/api/v1/namespaces/{ns}/sessionclusters',
      async (_f, c) => ({ path: SC, body: sc(`p-${c}`) }),
      ok(201, 'editor'),
    ],
    ['GET', '/api/v1/namespaces/{ns}/sessionclusters/{name}', cluster, ok(200, 'viewer')],
    [
      'PUT',
      '/api/v1/namespaces/{ns}/sessionclusters/{name}',
      async (_f, c) => ({ path: `${SC}/u-${c}`, body: sc(`u-${c}`) }),
      ok(201, 'editor'),
    ],
    [
      'PATCH',
      '/api/v1/namespaces/{ns}/sessionclusters/{name}',
      async (f, c) => ({ ...(await cluster(f, c)), body: { metadata: { labels: { a: 'b' } } } }),
      ok(200, 'editor'),
    ],
    ['DELETE', '/api/v1/namespaces/{ns}/sessionclusters/{name}', cluster, ok(200, 'editor')],
    ['GET', '/api/v1/namespaces/{ns}/secret-values', fixed(SV), ok(200, 'viewer')],
    [
      'POST',
      '/api/v1/namespaces/{ns}/secret-values',
      async (_f, c) => ({ path: SV, body: sv(`p-${c}`) }),
      ok(201, 'editor'),
    ],
    ['GET', '/api/v1/namespaces/{ns}/secret-values/{name}', secretValue, ok(200, 'viewer')],
    [
      'PATCH',
      '/api/v1/namespaces/{ns}/secret-values/{name}',
      async (f, c) => ({ ...(await secretValue(f, c)), body: { spec: { value: 'v2' } } }),
      ok(200, 'editor'),
    ],
    ['DELETE', '/api/v1/namespaces/{ns}/secret-values/{name}', secretValue, ok(200, 'editor')],
    [
      'DELETE',
      '/api/v1/namespaces/{ns}/savepoints/{id}',
      async (f) => {
        const sp = await f.admin('POST', `${NS}/savepoints`, {
          metadata: { deploymentId: f.deploymentId },
          spec: { savepointLocation: 's3://b/del' },
        });
        return { path: `${NS}/savepoints/${sp.metadata.id}` };
      },
      ok(200, 'editor'),
    ],
    ['GET', AP, async (f) => ({ path: ap(f) }), ok(200, 'viewer')],
    ['PUT', AP, async (f) => ({ path: ap(f), body: { mode: 'AUTOPILOT_MODE_MONITORING' } }), ok(200, 'editor')],
    ['GET', `${AP}:status`, async (f) => ({ path: `${ap(f)}:status` }), ok(200, 'viewer')],
    [
      'POST',
      '/__emulator/autopilot/step',
      async (f) => ({
        path: '/__emulator/autopilot/step',
        body: { namespace: 'default', deploymentId: f.deploymentId },
      }),
      adminOnly(409), // reached the handler: the seed's policy is not ACTIVE
    ],
  ];
}

/** The expected-permissions table: [method, route template, request maker, status per caller]. */
const MATRIX: [string, string, Make, number[]][] = [
  ['GET', '/api/v1/status', fixed('/api/v1/status'), [200, 200, 200, 200, 200, 200]],
  ['GET', '/api/v1/status/system-info', fixed('/api/v1/status/system-info'), [401, 200, 200, 200, 200, 200]],
  [
    'GET',
    '/api/v1/global-deployment-defaults',
    fixed('/api/v1/global-deployment-defaults'),
    [401, 200, 200, 200, 200, 200],
  ],
  ['GET', '/api/v1/namespaces/{ns}/deployments', fixed(`${NS}/deployments`), ok(200, 'viewer')],
  [
    'POST',
    '/api/v1/namespaces/{ns}/deployments',
    async (_f, c) => ({ path: `${NS}/deployments`, body: deploymentBody(`p-${c}`) }),
    ok(201, 'editor'),
  ],
  ['GET', '/api/v1/namespaces/{ns}/deployments/{name}', fixed(`${NS}/deployments/seed`), ok(200, 'viewer')],
  [
    'PATCH',
    '/api/v1/namespaces/{ns}/deployments/{name}',
    fixed(`${NS}/deployments/seed`, { metadata: { labels: { x: 'y' } } }),
    ok(200, 'editor'),
  ],
  [
    'PUT',
    '/api/v1/namespaces/{ns}/deployments/{name}',
    async (_f, c) => ({ path: `${NS}/deployments/u-${c}`, body: deploymentBody(`u-${c}`) }),
    ok(201, 'editor'),
  ],
  [
    'DELETE',
    '/api/v1/namespaces/{ns}/deployments/{name}',
    async (f, c) => {
      await f.admin('POST', `${NS}/deployments`, deploymentBody(`x-${c}`));
      return { path: `${NS}/deployments/x-${c}` };
    },
    ok(200, 'editor'),
  ],
  ['GET', '/api/v1/namespaces/{ns}/deployment-defaults', fixed(`${NS}/deployment-defaults`), ok(200, 'viewer')],
  [
    'PATCH',
    '/api/v1/namespaces/{ns}/deployment-defaults',
    fixed(`${NS}/deployment-defaults`, { spec: {} }),
    ok(200, 'editor'),
  ],
  ['GET', '/api/v1/namespaces/{ns}/deployment-targets', fixed(`${NS}/deployment-targets`), ok(200, 'viewer')],
  [
    'POST',
    '/api/v1/namespaces/{ns}/deployment-targets',
    async (_f, c) => ({ path: `${NS}/deployment-targets`, body: { metadata: { name: `t-${c}` } } }),
    ok(201, 'editor'),
  ],
  [
    'GET',
    '/api/v1/namespaces/{ns}/deployment-targets/{name}',
    fixed(`${NS}/deployment-targets/default`),
    ok(200, 'viewer'),
  ],
  [
    'PUT',
    '/api/v1/namespaces/{ns}/deployment-targets/{name}',
    async (_f, c) => ({ path: `${NS}/deployment-targets/v-${c}`, body: {} }),
    ok(201, 'editor'),
  ],
  [
    'DELETE',
    '/api/v1/namespaces/{ns}/deployment-targets/{name}',
    async (f, c) => {
      await f.admin('POST', `${NS}/deployment-targets`, { metadata: { name: `y-${c}` } });
      return { path: `${NS}/deployment-targets/y-${c}` };
    },
    ok(200, 'editor'),
  ],
  ['GET', '/api/v1/namespaces/{ns}/savepoints', fixed(`${NS}/savepoints`), ok(200, 'viewer')],
  [
    'POST',
    '/api/v1/namespaces/{ns}/savepoints',
    async (f) => ({
      path: `${NS}/savepoints`,
      body: { metadata: { deploymentId: f.deploymentId }, spec: { savepointLocation: 's3://b/sp' } },
    }),
    ok(201, 'editor'),
  ],
  [
    'GET',
    '/api/v1/namespaces/{ns}/savepoints/{id}',
    async (f) => ({ path: `${NS}/savepoints/${f.savepointId}` }),
    ok(200, 'viewer'),
  ],
  ['GET', '/api/v1/namespaces/{ns}/jobs', fixed(`${NS}/jobs`), ok(200, 'viewer')],
  ['GET', '/api/v1/namespaces/{ns}/jobs/{id}', async (f) => ({ path: `${NS}/jobs/${f.jobId}` }), ok(200, 'viewer')],
  ['GET', '/api/v1/namespaces/{ns}/events', fixed(`${NS}/events`), ok(200, 'viewer')],
  ['POST', '/api/v1/namespaces/{ns}/events', fixed(`${NS}/events`, { spec: { message: 'm' } }), ok(201, 'editor')],
  // platform resources of ADR 0010
  ...resourceRows(),
  ['GET', '/namespaces/v1/namespaces', fixed('/namespaces/v1/namespaces'), adminOnly(200)],
  [
    'POST',
    '/namespaces/v1/namespaces',
    async (_f, c) => ({ path: '/namespaces/v1/namespaces', body: { name: `namespaces/n-${c}` } }),
    adminOnly(200),
  ],
  ['GET', '/namespaces/v1/namespaces/{ns}', fixed('/namespaces/v1/namespaces/default'), ok(200, 'owner')],
  [
    'DELETE',
    '/namespaces/v1/namespaces/{ns}',
    async (f, c) => {
      await f.admin('POST', '/namespaces/v1/namespaces', { name: `namespaces/z-${c}` });
      return { path: `/namespaces/v1/namespaces/z-${c}` };
    },
    adminOnly(200),
  ],
  [
    'GET',
    '/apitokens/v1/namespaces/{ns}/apitokens',
    fixed('/apitokens/v1/namespaces/default/apitokens'),
    ok(200, 'owner'),
  ],
  [
    'POST',
    '/apitokens/v1/namespaces/{ns}/apitokens',
    async (_f, c) => ({
      path: '/apitokens/v1/namespaces/default/apitokens',
      body: { name: `namespaces/default/apitokens/k-${c}`, role: 'viewer' },
    }),
    ok(200, 'owner'),
  ],
  [
    'GET',
    '/apitokens/v1/namespaces/{ns}/apitokens/{name}',
    async (f, c) => {
      await f.admin('POST', '/apitokens/v1/namespaces/default/apitokens', {
        name: `namespaces/default/apitokens/g-${c}`,
        role: 'viewer',
      });
      return { path: `/apitokens/v1/namespaces/default/apitokens/g-${c}` };
    },
    ok(200, 'owner'),
  ],
  [
    'DELETE',
    '/apitokens/v1/namespaces/{ns}/apitokens/{name}',
    async (f, c) => {
      await f.admin('POST', '/apitokens/v1/namespaces/default/apitokens', {
        name: `namespaces/default/apitokens/d-${c}`,
        role: 'viewer',
      });
      return { path: `/apitokens/v1/namespaces/default/apitokens/d-${c}` };
    },
    ok(200, 'owner'),
  ],
  ['GET', '/__emulator/requests', fixed('/__emulator/requests'), adminOnly(200)],
  ['DELETE', '/__emulator/requests', fixed('/__emulator/requests'), adminOnly(200)],
  ['POST', '/__emulator/faults', fixed('/__emulator/faults', {}), adminOnly(200)],
  ['DELETE', '/__emulator/faults', fixed('/__emulator/faults'), adminOnly(200)],
  // the other namespace's owner in its own namespace
  [
    'GET',
    'other: /api/v1/namespaces/{ns}/deployments',
    fixed('/api/v1/namespaces/other/deployments'),
    [401, 403, 403, 403, 200, 200],
  ],
];

describe('emulator CLI access matrix', () => {
  let emu: EmulatorProcess;
  afterAll(async () => {
    if (emu?.alive()) await emu.stop();
  });

  it('every route × caller answers the status of the expected-permissions table', async () => {
    emu = await spawnEmulator(['--token', ROOT, '--transition-delay-ms', '5']);
    const rootHeaders = { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' };
    const admin = async (method: string, p: string, body?: unknown) =>
      (await request(emu.url, method, p, body === undefined ? undefined : JSON.stringify(body), rootHeaders)).body;
    await admin('POST', '/namespaces/v1/namespaces', { name: 'namespaces/other' });
    const token = async (ns: string, role: string) =>
      (
        await admin('POST', `/apitokens/v1/namespaces/${ns}/apitokens`, {
          name: `namespaces/${ns}/apitokens/${role}-t`,
          role,
        })
      ).apiToken.secret as string;
    const secrets: Record<Caller, string | undefined> = {
      anonymous: undefined,
      viewer: await token('default', 'viewer'),
      editor: await token('default', 'editor'),
      owner: await token('default', 'owner'),
      otherOwner: await token('other', 'owner'),
      admin: ROOT,
    };
    const seed = await admin('POST', `${NS}/deployments`, deploymentBody('seed', { state: 'RUNNING' }));
    let jobId = '';
    for (let i = 0; i < 1000 && !jobId; i++) {
      jobId = (await admin('GET', `${NS}/jobs`)).items[0]?.metadata.id ?? '';
      if (!jobId) await new Promise((r) => setTimeout(r, 10));
    }
    expect(jobId).not.toBe('');
    const sp = await admin('POST', `${NS}/savepoints`, {
      metadata: { deploymentId: seed.metadata.id },
      spec: { savepointLocation: 's3://b/x' },
    });
    const fx: Fixtures = { admin, deploymentId: seed.metadata.id, jobId, savepointId: sp.metadata.id };

    const covered = new Set(MATRIX.map(([m, t]) => `${m} ${t}`));
    const missing = ROUTE_TABLE.map((r) => `${r.method} ${r.template}`).filter((r) => !covered.has(r));
    expect(missing).toEqual([]);

    const wrong: string[] = [];
    let cells = 0;
    let serverErrors = 0;
    let unnamed = 0;
    for (const [method, template, make, expected] of MATRIX) {
      for (const [i, caller] of CALLERS.entries()) {
        const cell = `${cells++}`;
        const { path: p, body } = await make(fx, cell);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (secrets[caller]) headers.authorization = `Bearer ${secrets[caller]}`;
        const r = await request(emu.url, method, p, body === undefined ? undefined : JSON.stringify(body), headers);
        if (r.status >= 500) serverErrors++;
        if ((r.status === 401 || r.status === 403) && !/Bearer|token|Role|namespace/.test(r.message)) unnamed++;
        if (r.status !== expected[i])
          wrong.push(`${method} ${template} as ${caller}: ${r.status} (expected ${expected[i]}) ${r.message}`);
      }
    }
    recordReliability({
      surface: 'emulator CLI: access matrix (routes × callers)',
      cases: cells,
      crashes: emu.alive() ? 0 : 1,
      serverErrors,
      lostWrites: 0,
      leaks: emu.output().includes(ROOT) ? 1 : 0,
      unnamedRejections: unnamed,
    });
    expect(wrong).toEqual([]);
    expect(unnamed).toBe(0);
    expect(emu.alive()).toBe(true);
  }, 60_000);
});
