import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '../../bin/vvp-emulator.js');

function run(args: string[]): { child: ReturnType<typeof spawn>; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`vvp-emulator exited with ${code}: ${out}`)));
  });
  return { child, url };
}

describe('vvp-emulator command line', () => {
  it('prints the listening line, requires the token it was given, and stops on SIGTERM', async () => {
    const { child, url } = run([
      '--port',
      '0',
      '--token',
      't0k',
      '--transition-delay-ms',
      '5',
      '--default-target',
      'default',
    ]);
    try {
      const base = await url;
      expect((await fetch(`${base}/api/v1/namespaces/default/deployments`)).status).toBe(401);
      const ok = await fetch(`${base}/api/v1/namespaces/default/deployment-targets`, {
        headers: { authorization: 'Bearer t0k' },
      });
      expect(ok.status).toBe(200);
      expect(
        ((await ok.json()) as { items: { metadata: { name: string } }[] }).items.map(
          (t: { metadata: { name: string } }) => t.metadata.name,
        ),
      ).toEqual(['default']);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  });

  it('a deployment created CANCELLED and patched to RUNNING is observed TRANSITIONING, then RUNNING', async () => {
    const { child, url } = run(['--port', '0', '--transition-delay-ms', '500', '--default-target', 'default']);
    try {
      const base = await url;
      const D = `${base}/api/v1/namespaces/default/deployments`;
      const json = { 'content-type': 'application/json' };
      const body = {
        metadata: { name: 'seen', namespace: 'default' },
        spec: {
          state: 'CANCELLED',
          deploymentTargetName: 'default',
          template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/a.jar' } } },
        },
      };
      expect((await fetch(D, { method: 'POST', headers: json, body: JSON.stringify(body) })).status).toBe(201);
      const patched = await fetch(`${D}/seen`, {
        method: 'PATCH',
        headers: json,
        body: JSON.stringify({ spec: { state: 'RUNNING' } }),
      });
      expect(patched.status).toBe(200);
      const seen: string[] = [];
      const deadline = Date.now() + 15_000;
      while (seen[seen.length - 1] !== 'RUNNING' && Date.now() < deadline) {
        const d = (await (await fetch(`${D}/seen`)).json()) as { status: { state: string } };
        if (seen[seen.length - 1] !== d.status.state) seen.push(d.status.state);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen.filter((s) => s !== 'CANCELLED')).toEqual(['TRANSITIONING', 'RUNNING']);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('rejects a bad flag value with a message that names the flag', async () => {
    const child = spawn(process.execPath, [BIN, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--port must be an integer');
  });

  it('documents every flag in --help', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('exit', r));
    for (const flag of [
      '--port',
      '--host',
      '--token',
      '--admin-token',
      '--transition-delay-ms',
      '--data-dir',
      '--max-body-bytes',
      '--max-body-depth',
      '--max-request-log',
      '--max-events',
      '--profile',
      '--unknown-fields',
      '--default-target',
      '--global-defaults',
      '--autopilot-interval-ms',
    ])
      expect(out).toContain(flag);
    expect(out).toMatch(/--profile P .* default vvp-3/);
    for (const profile of ['vvp-2.4', 'vvp-3', 'lenient']) expect(out).toContain(`  ${profile} `);
  });
});

/** Runs the command line until it exits; its code and stderr. */
async function exitOf(args: string[]): Promise<{ code: unknown; err: string }> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  return { code, err };
}

describe('vvp-emulator platform flags (ADR 0009)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-emulator-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--profile', 'vvp-9'], '--profile must be one of vvp-2.4, vvp-3, lenient (got "vvp-9")'],
    [['--unknown-fields', 'ignore'], '--unknown-fields must be one of drop, reject, keep (got "ignore")'],
    [['--default-target', 'a b'], '--default-target must be a deployment target name'],
    [
      ['--global-defaults', '/nonexistent/defaults.yaml'],
      '--global-defaults /nonexistent/defaults.yaml: cannot read the file (ENOENT)',
    ],
    // a Node.js timer longer than 2^31-1 ms fires at once: refused rather than turned into no delay
    [['--transition-delay-ms', '1e308'], '--transition-delay-ms must be a number from 0 to 2147483647 (got "1e308")'],
    [['--autopilot-interval-ms', '9999999999'], '--autopilot-interval-ms must be an integer from 1 to 2147483647'],
    [
      ['--host', '999.1.1.1'],
      'cannot listen on --host 999.1.1.1 --port 0 (getaddrinfo ENOTFOUND 999.1.1.1): pass a free port (0 picks one)',
    ],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const { code, err } = await exitOf(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('a global-defaults file with a bad field or bad syntax exits 2 naming the file and the field', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'spec:\n  upgradeStrategy:\n    kind: SOMETIMES\n');
    const typo = path.join(dir, 'typo.json');
    fs.writeFileSync(typo, JSON.stringify({ template: { spec: { paralelism: 2 } } }));
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"state": ');
    const a = await exitOf(['--global-defaults', bad]);
    expect([a.code, a.err]).toEqual([
      2,
      expect.stringContaining(`--global-defaults ${bad}: Invalid spec.upgradeStrategy.kind 'SOMETIMES'`),
    ]);
    const b = await exitOf(['--global-defaults', typo]);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`--global-defaults ${typo}: Unknown field spec.template.spec.paralelism`);
    const c = await exitOf(['--global-defaults', broken]);
    expect(c.code).toBe(2);
    expect(c.err).toContain(`--global-defaults ${broken}: not valid JSON`);
  });

  it('serves a YAML global-defaults file, without a default target; vvp-2.4 answers POST /events with 405', async () => {
    const file = path.join(dir, 'defaults.yaml');
    fs.writeFileSync(
      file,
      'spec:\n  upgradeStrategy:\n    kind: stateless\n  template:\n    spec:\n      parallelism: 3\n',
    );
    const { child, url } = run(['--port', '0', '--profile', 'vvp-2.4', '--global-defaults', file]);
    try {
      const base = await url;
      const defaults = (await (await fetch(`${base}/api/v1/global-deployment-defaults`)).json()) as { spec: unknown };
      expect(defaults.spec).toEqual({ upgradeStrategy: { kind: 'STATELESS' }, template: { spec: { parallelism: 3 } } });
      const targets = (await (await fetch(`${base}/api/v1/namespaces/default/deployment-targets`)).json()) as {
        items: unknown[];
      };
      expect(targets.items).toEqual([]);
      const events = await fetch(`${base}/api/v1/namespaces/default/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: 'EXTERNAL' }, spec: { message: 'hi' } }),
      });
      expect(events.status).toBe(405);
      expect(((await events.json()) as { message: string }).message).toContain('vvp-2.4');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
