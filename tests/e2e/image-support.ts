/**
 * The operator image in e2e tests: built by scripts/image.sh (OCI layout), unpacked by umoci into an OCI runtime
 * bundle, and its entrypoint run as the image says (user, environment, entrypoint from the image config) with the
 * bundle's root filesystem mounted read-only: with crun when it works on this machine, else in a chroot inside
 * fresh mount and pid namespaces (unshare). The host network is shared, so the apiserver and the emulator on
 * 127.0.0.1 are reachable.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, startDaemon, type Daemon } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';

/** What scripts/image.sh wrote. */
export interface BuiltImage {
  out: string;
  layout: string;
  archive: string;
  digest: string;
  ref: string;
  compressedBytes: number;
  uncompressedBytes: number;
  seconds: number;
}

/** Installs umoci and skopeo when missing (scripts/image-tools.sh). */
export function ensureImageTools(): void {
  const res = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'image-tools.sh')], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`scripts/image-tools.sh failed:\n${res.stderr}`);
}

/** Builds the image into `out` (the compiled package must be current: npm run build). */
export async function buildImage(out: string): Promise<BuiltImage> {
  const start = Date.now();
  const res = await run('bash', [path.join(REPO_ROOT, 'scripts', 'image.sh'), '--no-build', '--out', out], {
    cwd: REPO_ROOT,
    timeoutMs: 15 * 60_000,
  });
  const seconds = (Date.now() - start) / 1000;
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'image.json'), 'utf8'));
  const digest = res.stdout.trim().split('\n').pop()!;
  return { out, layout: path.join(out, 'oci'), archive: summary.archive, seconds, ...summary, digest };
}

/** The parts of an OCI runtime config (config.json of an umoci bundle) the tests use. */
export interface RuntimeConfig {
  process: { args: string[]; env: string[]; user: { uid: number; gid: number }; cwd: string };
  root: { path: string; readonly?: boolean };
  linux: { namespaces: { type: string }[]; resources?: unknown };
  [key: string]: unknown;
}

/** Unpacks `layout:ref` with umoci into an OCI runtime bundle; returns its directory and config. */
export async function unpackImage(
  layout: string,
  ref: string,
  bundle: string,
): Promise<{ bundle: string; rootfs: string; config: RuntimeConfig }> {
  fs.rmSync(bundle, { recursive: true, force: true });
  await run('umoci', ['unpack', '--image', `${layout}:${ref}`, bundle], { timeoutMs: 120_000 });
  const config = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8')) as RuntimeConfig;
  return { bundle, rootfs: path.join(bundle, 'rootfs'), config };
}

let crunWorks: boolean | undefined;

/** True when crun can run a container here (it cannot with hybrid cgroup v1/v2 hierarchies, e.g. this VM). */
export function canUseCrun(bundle: string, config: RuntimeConfig): boolean {
  if (crunWorks !== undefined) return crunWorks;
  const probe = `${bundle}-probe`;
  fs.mkdirSync(probe, { recursive: true });
  fs.writeFileSync(
    path.join(probe, 'config.json'),
    JSON.stringify(runtimeConfig(config, path.join(bundle, 'rootfs'), ['--help'], [])),
  );
  const res = spawnSync('crun', ['--cgroup-manager=disabled', 'run', '--bundle', probe, `probe-${process.pid}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  crunWorks = res.status === 0 && res.stdout.includes('Usage: vvp-operator');
  return crunWorks;
}

/** The bundle config for one run: host network, read-only root, `mounts` bound read-only. */
function runtimeConfig(
  config: RuntimeConfig,
  rootfs: string,
  args: string[],
  mounts: { source: string; target: string }[],
): RuntimeConfig {
  return {
    ...config,
    process: {
      ...config.process,
      args: [...config.process.args, ...args],
      terminal: false,
    } as RuntimeConfig['process'],
    root: { path: rootfs, readonly: true },
    mounts: [
      ...((config.mounts as unknown[]) ?? []),
      ...mounts.map((m) => ({ destination: m.target, type: 'bind', source: m.source, options: ['rbind', 'ro'] })),
    ],
    linux: { ...config.linux, namespaces: config.linux.namespaces.filter((n) => n.type !== 'network') },
  };
}

/**
 * Starts the image's entrypoint with `args` appended, `mounts` bound read-only. The process gets only the
 * image's environment, runs as the image's user, and sees the root filesystem read-only.
 */
export function startFromImage(
  name: string,
  unpacked: { bundle: string; rootfs: string; config: RuntimeConfig },
  args: string[],
  mounts: { source: string; target: string }[],
  logFile: string,
): { daemon: Daemon; runtime: 'crun' | 'chroot' } {
  const { config, rootfs } = unpacked;
  if (canUseCrun(unpacked.bundle, config)) {
    const bundle = `${unpacked.bundle}-${name}`;
    fs.mkdirSync(bundle, { recursive: true });
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(runtimeConfig(config, rootfs, args, mounts)));
    const daemon = startDaemon(name, 'crun', ['--cgroup-manager=disabled', 'run', '--bundle', bundle, name], {
      logFile,
    });
    return { daemon, runtime: 'crun' };
  }
  // chroot fallback: a private mount namespace where the root filesystem is a read-only bind mount.
  const script = [
    'set -e',
    'root=$1; shift',
    'mount --make-rprivate /',
    'mount --bind "$root" "$root"',
    'mount -o remount,bind,ro "$root"',
    'mount -t proc proc "$root/proc"',
    'while [ "$1" != -- ]; do mount --bind "$1" "$root$2"; mount -o remount,bind,ro "$root$2"; shift 2; done',
    'shift',
    'chroot=$(command -v chroot)',
    `exec env -i ${config.process.env.map((e) => `'${e.replace(/'/g, "'\\''")}'`).join(' ')} ` +
      `"$chroot" --userspec=${config.process.user.uid}:${config.process.user.gid} "$root" "$@"`,
  ].join('\n');
  const daemon = startDaemon(
    name,
    'unshare',
    [
      '--mount',
      '--pid',
      '--fork',
      '--kill-child',
      '--',
      'sh',
      '-c',
      script,
      'sh',
      rootfs,
      ...mounts.flatMap((m) => [m.source, m.target]),
      '--',
      ...config.process.args,
      ...args,
    ],
    { logFile },
  );
  return { daemon, runtime: 'chroot' };
}
