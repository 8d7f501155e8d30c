/**
 * A real, throw-away Kubernetes control plane for e2e tests: etcd + kube-apiserver on free
 * loopback ports, TLS with a test CA, static-token authentication, RBAC authorization, plus
 * kube-controller-manager running only the garbage-collector, namespace and service-account
 * controllers.
 *
 * There is no scheduler and no kubelet: CRDs, custom resources, finalizers, status subresources,
 * RBAC, admission webhooks, ownerReference cascades, foreground deletion and namespace deletion
 * work; Pods never run and Deployments never get ready.
 *
 *   const kube = await startKube();
 *   try { await kube.kubectl(['get', 'ns']); } finally { await kube.stop(); }
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeServiceAccountKey, makeServingCert } from './certs';
import { Daemon, freePorts, killGroup, run, RunOptions, RunResult, startDaemon, waitFor } from './proc';
import { toolPath } from './tools';

/** A static-token user (kube-apiserver `--token-auth-file`). */
export interface TokenUser {
  token: string;
  user: string;
  uid?: string;
  groups?: string[];
}

export interface KubeOptions {
  /** Extra static-token users besides the admin (e.g. an operator user without system:masters). */
  users?: TokenUser[];
  /** Extra kube-apiserver flags (`--flag=value`). */
  apiServerArgs?: string[];
  /**
   * Also run kube-controller-manager with these controllers (default: garbage collector, namespace
   * and service-account controllers, so ownerReference cascades, foreground deletion, namespace
   * deletion and `default` ServiceAccounts work). Pass [] to run without it.
   */
  controllers?: string[];
  /** Milliseconds to wait for /readyz; default 90 s. */
  readyTimeoutMs?: number;
  /** Keep the temp directory (logs, data) after stop(); also with VVP_IAC_KEEP_TMP=1. */
  keepTmp?: boolean;
}

export interface KubectlOptions extends RunOptions {
  /** Run as another static-token user (its token) instead of the admin. */
  token?: string;
}

export interface Kube {
  /** https://127.0.0.1:PORT */
  url: string;
  /** The admin's bearer token (user "admin", group system:masters). */
  token: string;
  /** Absolute path of a kubeconfig for the admin. */
  kubeconfig: string;
  /** PEM file of the CA that signed the apiserver's serving certificate. */
  caCertPath: string;
  caPem: string;
  /** Temp directory with certs, data and logs (etcd.log, kube-apiserver.log). */
  dir: string;
  etcdUrl: string;
  /** Run the matching kubectl with this cluster's kubeconfig. Rejects on non-zero exit unless allowFailure. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<RunResult>;
  /** kubectl ... -o json, parsed. */
  kubectlJson<T = any>(args: string[], opts?: KubectlOptions): Promise<T>;
  /** Write a kubeconfig for another token (e.g. a non-admin user); returns its path. */
  kubeconfigFor(token: string, name?: string): string;
  /** The last part of the kube-apiserver log. */
  apiServerLog(max?: number): string;
  /** The last part of the kube-controller-manager log ('' when it is not running). */
  controllerManagerLog(max?: number): string;
  /**
   * Kills kube-apiserver (SIGKILL), waits `downMs`, and starts it again on the same port and etcd (its data
   * survives); resolves once /readyz answers again.
   */
  restartApiServer(downMs?: number): Promise<void>;
  /** Stop kube-apiserver and etcd (process groups) and remove the temp directory. Idempotent. */
  stop(): Promise<void>;
}

export const ADMIN_TOKEN_USER = 'admin';

/** Controllers started by default (see KubeOptions.controllers). */
export const DEFAULT_CONTROLLERS = [
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
];

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function kubeconfigYaml(url: string, caCertPath: string, token: string, user: string): string {
  // JSON is valid YAML; kubectl reads it.
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority': caCertPath } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user, namespace: 'default' } }],
      'current-context': 'test',
    },
    null,
    2,
  );
}

function get(url: string, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ...opts, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Start etcd + kube-apiserver. Always pair with `await kube.stop()` (e.g. in afterAll). */
export async function startKube(opts: KubeOptions = {}): Promise<Kube> {
  const etcdBin = toolPath('etcd');
  const apiBin = toolPath('kube-apiserver');
  const kubectlBin = toolPath('kubectl');
  const controllers = opts.controllers ?? DEFAULT_CONTROLLERS;
  const kcmBin = controllers.length > 0 ? toolPath('kube-controller-manager') : '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-kube-'));
  const daemons: Daemon[] = [];
  let stopped = false;
  const keep = opts.keepTmp || process.env.VVP_IAC_KEEP_TMP === '1';

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // In reverse start order: controller manager, apiserver, etcd.
    for (const d of [...daemons].reverse()) await d.stop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdPort, etcdPeerPort, apiPort, kcmPort] = await freePorts(4);
    const certs = makeServingCert({ dir: path.join(dir, 'pki'), commonName: 'kube-apiserver' });
    const [saKey, saPub] = makeServiceAccountKey(certs.dir);
    const token = `admin-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const users: TokenUser[] = [
      { token, user: ADMIN_TOKEN_USER, uid: 'admin-uid', groups: ['system:masters'] },
      ...(opts.users ?? []),
    ];
    const tokensCsv = path.join(certs.dir, 'tokens.csv');
    fs.writeFileSync(
      tokensCsv,
      users
        .map((u) => [u.token, u.user, u.uid ?? `${u.user}-uid`, (u.groups ?? []).join(',')].map(csvField).join(','))
        .join('\n') + '\n',
      { mode: 0o600 },
    );

    // --- etcd ---
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = startDaemon(
      'etcd',
      etcdBin,
      [
        '--name=default',
        `--data-dir=${path.join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      { logFile: path.join(dir, 'etcd.log'), cwd: dir },
    );
    daemons.push(etcd);
    await waitFor(
      'etcd /health',
      async () => {
        if (!etcd.running()) throw new Error('etcd exited');
        const r = await get(`${etcdUrl}/health`, {});
        return r.status === 200 && r.body.includes('"health":"true"');
      },
      { timeoutMs: 30_000, onTimeout: () => `etcd log:\n${etcd.log()}` },
    );

    // --- kube-apiserver ---
    const url = `https://127.0.0.1:${apiPort}`;
    const apiArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${certs.certPath}`,
      `--tls-private-key-file=${certs.keyPath}`,
      `--cert-dir=${certs.dir}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      `--service-account-issuer=${url}/`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--token-auth-file=${tokensCsv}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--endpoint-reconciler-type=none',
      ...(opts.apiServerArgs ?? []),
    ];
    const startApi = () =>
      startDaemon('kube-apiserver', apiBin, apiArgs, { logFile: path.join(dir, 'kube-apiserver.log'), cwd: dir });
    let api = startApi();
    daemons.push(api);
    const apiReady = () =>
      waitFor(
        'kube-apiserver /readyz',
        async () => {
          if (!api.running()) throw new Error('kube-apiserver exited');
          const r = await get(`${url}/readyz`, { ca: certs.caPem, headers: { Authorization: `Bearer ${token}` } });
          return r.status === 200 && r.body.trim() === 'ok';
        },
        {
          timeoutMs: opts.readyTimeoutMs ?? 90_000,
          intervalMs: 250,
          onTimeout: () => `kube-apiserver log:\n${api.log()}`,
        },
      );
    await apiReady();

    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml(url, certs.caCertPath, token, ADMIN_TOKEN_USER), { mode: 0o600 });

    // --- kube-controller-manager (a subset of controllers) ---
    let kcm: Daemon | undefined;
    if (controllers.length > 0) {
      kcm = startDaemon(
        'kube-controller-manager',
        kcmBin,
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          `--cert-dir=${path.join(dir, 'kcm-certs')}`,
          '--leader-elect=false',
          '--use-service-account-credentials=false',
          `--controllers=${controllers.join(',')}`,
        ],
        { logFile: path.join(dir, 'kube-controller-manager.log'), cwd: dir },
      );
      daemons.push(kcm);
      const k = kcm;
      await waitFor(
        'kube-controller-manager /healthz',
        async () => {
          if (!k.running()) throw new Error('kube-controller-manager exited');
          const r = await get(`https://127.0.0.1:${kcmPort}/healthz`, { rejectUnauthorized: false });
          return r.status === 200;
        },
        { timeoutMs: 60_000, intervalMs: 250, onTimeout: () => `kube-controller-manager log:\n${k.log()}` },
      );
    }
    const kubeconfigFor = (tok: string, name = 'user'): string => {
      const p = path.join(dir, `kubeconfig-${name}-${Math.random().toString(36).slice(2, 8)}`);
      fs.writeFileSync(p, kubeconfigYaml(url, certs.caCertPath, tok, name), { mode: 0o600 });
      return p;
    };

    const perToken = new Map<string, string>();
    const kubectl = (args: string[], o: KubectlOptions = {}): Promise<RunResult> => {
      const { token: asToken, env, ...rest } = o;
      let cfg = kubeconfig;
      if (asToken && asToken !== token) {
        cfg = perToken.get(asToken) ?? kubeconfigFor(asToken);
        perToken.set(asToken, cfg);
      }
      return run(kubectlBin, args, {
        timeoutMs: 60_000,
        ...rest,
        env: { ...process.env, ...env, KUBECONFIG: cfg, HOME: dir, KUBECACHEDIR: path.join(dir, 'kubecache') },
      });
    };

    return {
      url,
      token,
      kubeconfig,
      caCertPath: certs.caCertPath,
      caPem: certs.caPem,
      dir,
      etcdUrl,
      kubectl,
      kubectlJson: async (args, o) => JSON.parse((await kubectl([...args, '-o', 'json'], o)).stdout),
      kubeconfigFor,
      apiServerLog: (max) => api.log(max),
      controllerManagerLog: (max) => kcm?.log(max) ?? '',
      async restartApiServer(downMs = 0) {
        const old = api;
        killGroup(old.pid, 'SIGKILL');
        await old.exited;
        if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
        api = startApi();
        daemons[daemons.indexOf(old)] = api;
        await apiReady();
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
