/**
 * The operator's OCI image (scripts/image.sh, `npm run image`): built twice from the same inputs (same digest),
 * read back by skopeo and umoci, and its entrypoint run from the unpacked, read-only root filesystem against a
 * real kube-apiserver + etcd and the VVP emulator: the seed's create → Ready path, the webhook served from the image.
 * Needs the compiled package (`npm run build`), the test binaries (scripts/tools.sh) and root (apt-get, chroot).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, run, waitFor, type Daemon } from '../harness/proc';
import { buildImage, ensureImageTools, startFromImage, unpackImage, type BuiltImage } from './image-support';
import { seedDeployment, startOperatorEnv, type OperatorEnv } from './operator-env';

jest.setTimeout(15 * 60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-image-'));
let first: BuiltImage;
let second: BuiltImage;

const healthz = (port: number) =>
  new Promise<number>((resolve) => {
    http
      .get(`http://127.0.0.1:${port}/healthz`, { timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });

beforeAll(async () => {
  ensureImageTools();
  first = await buildImage(path.join(tmp, 'build-1'));
  second = await buildImage(path.join(tmp, 'build-2'));
  console.log(
    `image ${first.digest}: ${(first.compressedBytes / 1e6).toFixed(1)} MB compressed, ` +
      `${(first.uncompressedBytes / 1e6).toFixed(1)} MB unpacked; builds took ${first.seconds.toFixed(0)} s and ` +
      `${second.seconds.toFixed(0)} s`,
  );
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the operator image', () => {
  it('two builds from the same inputs give the same digest, layer and archive bytes', () => {
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.digest).toBe(first.digest);
    const archive = (b: BuiltImage) => fs.readFileSync(path.join(b.out, path.basename(b.archive)));
    expect(archive(second).equals(archive(first))).toBe(true);
  });

  it('a registry client reads the layout: labels, non-root user and the vvp-operator entrypoint', async () => {
    const ref = `oci:${first.layout}:${first.ref}`;
    const config = JSON.parse((await run('skopeo', ['inspect', '--config', ref])).stdout);
    const labels = config.config.Labels;
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(labels['org.opencontainers.image.version']).toBe(pkg.version);
    expect(labels['org.opencontainers.image.revision']).toMatch(/^[0-9a-f]{40}$/);
    expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/vvp-operator']);
    expect(config.config.User).toBe('65532:65532');
    const inspect = JSON.parse((await run('skopeo', ['inspect', ref])).stdout);
    expect(inspect.Digest).toBe(first.digest);
    expect(inspect.Layers).toHaveLength(1);
    // the oci-archive tarball is the same image
    const fromArchive = JSON.parse((await run('skopeo', ['inspect', `oci-archive:${first.archive}`])).stdout);
    expect(fromArchive.Digest).toBe(first.digest);
  });

  it('the root filesystem holds node, its libraries and the operator with production dependencies only', async () => {
    const { rootfs } = await unpackImage(first.layout, first.ref, path.join(tmp, 'inspect'));
    for (const f of ['usr/local/bin/node', 'usr/local/bin/vvp-operator', 'lib64/ld-linux-x86-64.so.2'])
      expect(fs.existsSync(path.join(rootfs, f))).toBe(true);
    for (const shell of ['bin/sh', 'bin/bash', 'usr/bin/env', 'usr/bin/apt-get'])
      expect(fs.existsSync(path.join(rootfs, shell))).toBe(false);
    const modules = path.join(rootfs, 'app', 'node_modules');
    expect(fs.existsSync(path.join(modules, '@kubernetes', 'client-node', 'package.json'))).toBe(true);
    for (const dev of ['typescript', 'jest', 'eslint', '@pulumi', 'cdk8s', 'ts-jest'])
      expect(fs.existsSync(path.join(modules, dev))).toBe(false);
    expect(fs.existsSync(path.join(rootfs, 'app', 'dist', 'operator', 'src', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(rootfs, 'app', 'dist', 'provider'))).toBe(false);
    expect(fs.readFileSync(path.join(rootfs, 'etc', 'passwd'), 'utf8')).toContain(':65532:65532:');
  });

  describe('run from the image against the apiserver and the emulator', () => {
    let env: OperatorEnv;
    let logFile: string;
    let runtime: string;
    let daemon: Daemon | undefined;
    const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '');

    beforeAll(async () => {
      env = await startOperatorEnv({ instanceId: 'image-operator' });
      const unpacked = await unpackImage(first.layout, first.ref, path.join(tmp, 'bundle'));
      // What a pod would mount: the webhook serving pair, the CA and the operator's kubeconfig, read-only at /certs.
      const certs = path.join(tmp, 'certs');
      fs.mkdirSync(certs, { mode: 0o755 });
      fs.copyFileSync(env.cert.certPath, path.join(certs, 'tls.crt'));
      fs.copyFileSync(env.cert.keyPath, path.join(certs, 'tls.key'));
      fs.copyFileSync(env.kube.caCertPath, path.join(certs, 'kube-ca.crt'));
      fs.writeFileSync(
        path.join(certs, 'kubeconfig'),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 'test', cluster: { server: env.kube.url, 'certificate-authority': '/certs/kube-ca.crt' } },
          ],
          users: [{ name: 'operator', user: { token: env.operatorToken } }],
          contexts: [{ name: 'test', context: { cluster: 'test', user: 'operator' } }],
          'current-context': 'test',
        }),
      );
      for (const f of fs.readdirSync(certs)) fs.chmodSync(path.join(certs, f), 0o644);
      const [metricsPort, webhookPort] = [await freePort(), await freePort()];
      logFile = path.join(tmp, 'operator.log');
      const started = startFromImage(
        'image-operator',
        unpacked,
        [
          ...['--instance-id', 'image-operator', '--watched-namespaces', 'team-a', '--vvp-url', env.emulator.url],
          ...[
            '--kubeconfig',
            '/certs/kubeconfig',
            '--webhook-cert',
            '/certs/tls.crt',
            '--webhook-key',
            '/certs/tls.key',
          ],
          ...['--webhook-port', String(webhookPort), '--webhook-host', '127.0.0.1'],
          ...['--metrics-port', String(metricsPort), '--metrics-host', '127.0.0.1', '--resync-seconds', '600'],
        ],
        [{ source: certs, target: '/certs' }],
        logFile,
      );
      runtime = started.runtime;
      daemon = started.daemon;
      await waitFor(
        'operator from the image: /healthz',
        async () => {
          if (!daemon!.running()) throw new Error('the operator from the image exited');
          return (await healthz(metricsPort)) === 200;
        },
        {
          timeoutMs: 60_000,
          onTimeout: log,
        },
      );
      await env.registerWebhook(webhookPort);
    });

    afterAll(async () => {
      await daemon?.stop();
      await env?.stop();
    });

    it('the seed CR goes create → Ready (kubectl wait --for=condition=Ready) with the VVP deployment created', async () => {
      const cr = seedDeployment('my-deployment', 'team-a', 'image-operator');
      await env.apply(cr);
      const waited = await env.kube.kubectl(
        ['-n', 'team-a', 'wait', '--for=condition=Ready', 'vvpdeployment/my-deployment', '--timeout=120s'],
        { timeoutMs: 130_000, allowFailure: true },
      );
      expect({ code: waited.code, stderr: waited.stderr, log: waited.code ? log() : '' }).toMatchObject({ code: 0 });
      expect(waited.stdout).toContain('condition met');
      const status = await env.kube.kubectlJson<any>(['-n', 'team-a', 'get', 'vvpdeployment', 'my-deployment']);
      const deployment = env.emulator.store.getDeployment('default', 'my-deployment');
      expect(status.status.deploymentId).toBe(deployment.metadata.id);
      expect(deployment.spec.state).toBe('CANCELLED');
      expect(log()).toContain('my-deployment');
      console.log(`operator ran from the image with ${runtime}`);
    });

    it('the webhook served from the image rejects an invalid CR with the field named', async () => {
      const bad = seedDeployment('Bad_Name', 'team-a', 'image-operator');
      bad.metadata.name = 'bad-name';
      bad.spec.deployment.metadata.name = 'Bad_Name';
      const res = await env.kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(bad), allowFailure: true });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('admission webhook');
      expect(res.stderr).toContain('Bad_Name');
    });
  });
});
