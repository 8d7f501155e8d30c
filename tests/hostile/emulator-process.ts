/** Spawns the emulator command line (bin/vvp-emulator.js) for the hostile suites and talks to it over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const BIN = path.join(__dirname, '../../bin/vvp-emulator.js');

/** A running emulator process. */
export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed. */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** Stops it (SIGTERM) and waits for the exit code. */
  stop(): Promise<number | null>;
  /** Kills it (SIGKILL) and waits. */
  kill(): Promise<void>;
}

/**
 * The platform the hostile suites run: profile vvp-3 (the default, ADR 0009) with a deployment target `default`
 * in every namespace, which deploymentBody names.
 */
export const PLATFORM_ARGS = ['--profile', 'vvp-3', '--default-target', 'default'];

/** Starts `vvp-emulator --port 0 PLATFORM_ARGS... ...args` and resolves once it listens. */
export function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...PLATFORM_ARGS, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m)
        resolve({
          child,
          url: m[1]!,
          port: Number(m[2]),
          output: () => out,
          alive: () => child.exitCode === null && child.signalCode === null,
          async stop() {
            child.kill('SIGTERM');
            return exited;
          },
          async kill() {
            child.kill('SIGKILL');
            await exited;
          },
        });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => reject(new Error(`vvp-emulator exited with ${code}: ${out}`)));
  });
}

/** An answer: status and the `message` of a JSON body, if any. */
export interface Reply {
  status: number;
  message: string;
  body: any;
}

/** One HTTP request with fetch; a connection error is status 0. */
export async function request(
  base: string,
  method: string,
  p: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  try {
    const res = await fetch(base + p, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, message: typeof parsed?.message === 'string' ? parsed.message : '', body: parsed };
  } catch {
    return { status: 0, message: '', body: undefined };
  }
}

/** Sends raw bytes on a new connection; resolves with the status and body of the answer (0 when closed). */
export function rawRequest(port: number, bytes: string | Buffer): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (r: Reply) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(10_000, () => done({ status: 0, message: 'timeout', body: undefined }));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => {
      data += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d+)[^]*?\r\n\r\n([^]*)$/.exec(data);
      const length = Number(/content-length: (\d+)/i.exec(data)?.[1] ?? -1);
      if (m && length >= 0 && m[2]!.length >= length) {
        let parsed: any;
        try {
          parsed = JSON.parse(m[2]!);
        } catch {
          parsed = undefined;
        }
        done({ status: Number(m[1]), message: parsed?.message ?? '', body: parsed });
      }
    });
    socket.on('error', () => done({ status: 0, message: '', body: undefined }));
    socket.on('close', () => done({ status: 0, message: '', body: undefined }));
  });
}

export { seeded } from './seeded';

/** A valid deployment body. */
export const deploymentBody = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/a.jar' } } },
    ...extra,
  },
});
