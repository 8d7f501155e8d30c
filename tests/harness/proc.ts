/**
 * Process helpers for the e2e harness: run a command and capture its output, start long-running
 * daemons in their own process group, and make sure every daemon dies with the test process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Resolve (instead of reject) when the exit code is not 0. */
  allowFailure?: boolean;
  /** Kill the command (SIGKILL to its process group) after this long. Default 5 minutes. */
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The command line, for error messages. */
  command: string;
}

export class CommandError extends Error {
  constructor(readonly result: RunResult) {
    super(
      `command failed (exit ${result.code}): ${result.command}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
    this.name = 'CommandError';
  }
}

/** The last `max` characters of a string (for error messages). */
export function tail(s: string, max = 6000): string {
  return s.length > max ? `...${s.slice(-max)}` : s;
}

/** Quote an argument list for display. */
export function displayCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/**
 * Run a command to completion, capturing stdout and stderr. Rejects with a CommandError on a
 * non-zero exit unless `allowFailure` is set. The command gets its own process group, which is
 * killed on timeout.
 */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const command = displayCommand(file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const untrack = track(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        killSession(child.pid, 'SIGKILL');
      },
      opts.timeoutMs ?? 5 * 60_000,
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      untrack();
      reject(new Error(`cannot start ${command}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      untrack();
      // Anything the command left behind in its session (e.g. plugins of a killed pulumi) goes too.
      killSession(child.pid, 'SIGKILL');
      const result: RunResult = {
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr:
          Buffer.concat(err).toString('utf8') +
          (timedOut
            ? `\n[harness] killed after ${opts.timeoutMs ?? 300_000} ms`
            : signal
              ? `\n[harness] killed by ${signal}`
              : ''),
        command,
      };
      if (result.code !== 0 && !opts.allowFailure) reject(new CommandError(result));
      else resolve(result);
    });
    child.stdin!.on('error', () => undefined); // EPIPE if the command does not read stdin
    child.stdin!.end(opts.input ?? '');
  });
}

/** A long-running process started with {@link startDaemon}. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** True while the process has not exited. */
  running(): boolean;
  /** The last part of the log file. */
  log(max?: number): string;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Start a daemon in its own process group with stdout+stderr appended to `logFile`. It is killed
 * (SIGKILL to the group) when the test process exits, even if the test never calls stop().
 */
export function startDaemon(
  name: string,
  file: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string },
): Daemon {
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `[harness] ${displayCommand(file, args)}\n`);
  // With util-linux's setpriv the daemon also gets SIGKILL if this process dies without running
  // its exit handlers (e.g. a jest worker killed with SIGKILL).
  const [cmd, cmdArgs] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', file, ...args]] : [file, args];
  const child = spawn(cmd, cmdArgs, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  const untrack = track(child);
  let alive = child.pid !== undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', () => {
      alive = false;
      untrack();
      resolve('spawn-error');
    });
    child.on('exit', (code, signal) => {
      alive = false;
      untrack();
      // The session may still hold children of the daemon: make sure they go too.
      killSession(child.pid, 'SIGKILL');
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    logFile: opts.logFile,
    exited,
    running: () => alive,
    log: (max = 4000) => {
      try {
        return tail(fs.readFileSync(opts.logFile, 'utf8'), max);
      } catch {
        return '';
      }
    },
    stop: async (graceMs = 5000) => {
      if (!alive) {
        killGroup(child.pid, 'SIGKILL');
        return;
      }
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

/** Send a signal to a whole process group; ignores groups that are already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Send a signal to every process in the session `sid` (Linux /proc). Children started with
 * `detached: true` lead their own session, and their descendants stay in it even when they move to
 * other process groups (pulumi starts each plugin in its own group) or are re-parented to init
 * after their parent died, so this finds what a process-group kill would miss.
 */
export function killSession(sid: number | undefined, signal: NodeJS.Signals): void {
  if (!sid) return;
  killGroup(sid, signal);
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp session ..."; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[3]) === sid) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  }
}

// Every child that leads its own session; its session is killed when this process exits.
const live = new Set<number>();
let exitHookInstalled = false;
function track(child: ChildProcess): () => void {
  const pid = child.pid;
  if (!pid) return () => undefined;
  live.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const p of live) killSession(p, 'SIGKILL');
    });
  }
  return () => live.delete(pid);
}

/**
 * A free TCP port on 127.0.0.1: bound to port 0 and released, so another process could in principle
 * take it before the caller binds it (Linux hands out ephemeral ports randomly, so this is rare).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Poll `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; intervalMs?: number; onTimeout?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const extra = opts.onTimeout ? `\n${opts.onTimeout()}` : '';
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${what}${last}${extra}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
