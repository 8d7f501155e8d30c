import { spawn } from 'node:child_process';
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
    const { child, url } = run(['--port', '0', '--token', 't0k', '--transition-delay-ms', '5']);
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
    const { child, url } = run(['--port', '0', '--transition-delay-ms', '500']);
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
      '--autopilot-interval-ms',
    ])
      expect(out).toContain(flag);
  });
});
