/**
 * Shared setup of the cdk8s e2e suites: the VVP emulator, a real kube-apiserver + etcd, the operator chart of
 * examples/cdk8s-app (synthesized by the cdk8s CLI) applied with kubectl, and the operator (bin/vvp-operator.js)
 * running as the chart's ServiceAccount with its webhook called by the apiserver over TLS.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index';
import { createVvpClient, type VvpClient } from '../../vvp-client/src/index';
import { makeServingCert } from '../harness/certs';
import { startKube, type Kube } from '../harness/kube';
import { freePorts, startDaemon, waitFor, type Daemon } from '../harness/proc';
import { REPO_ROOT, toolsBinDir } from '../harness/tools';
import { ensureBuilt } from '../harness/dist';

/** The example app. */
export const EXAMPLE = path.join(REPO_ROOT, 'examples', 'cdk8s-app');
/** instanceId of the example's operator. */
export const INSTANCE_ID = 'vvp-operator-1';
/** The namespace the example's operator watches. */
export const WATCHED_NAMESPACE = 'team-a';
// The ServiceAccount of the VvpOperator chart, as the apiserver names it; a static token stands in for its token.
const OPERATOR_USER = 'system:serviceaccount:vvp-operator:vvp-operator';
const CDK8S = path.join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** Everything a cdk8s e2e suite talks to. */
export interface OperatorEnvironment {
  kube: Kube;
  emulator: EmulatorHandle;
  /** Client of the emulator with the editor token the CRs' Secret holds. */
  vvp: VvpClient;
  operator: Daemon;
  /** Directory of the example's synthesized manifests (0000-operator.k8s.yaml, 0001-deployments.k8s.yaml). */
  manifests: string;
  /** The last part of the operator's log, for timeouts. */
  operatorLog(): string;
  stop(): Promise<void>;
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** Starts emulator, apiserver and operator, with the example's operator chart applied and the API-key Secret. */
export async function startOperatorEnvironment(): Promise<OperatorEnvironment> {
  await ensureBuilt();
  toolsBinDir();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-cdk8s-e2e-'));
  const stoppers: (() => Promise<void>)[] = [async () => fs.rmSync(work, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s();
  };
  try {
    // profile vvp-3 (ADR 0009), target `default` for the example's deployments; anonymous, so one caller
    const emulator = await startEmulator({
      port: 0,
      profile: 'vvp-3',
      defaultTarget: 'default',
      transitionDelayMs: 50,
    });
    stoppers.push(() => emulator.stop());
    const vvpToken = emulator.createToken('default', 'editor');
    const operatorToken = `operator-${process.pid}-${Date.now().toString(36)}`;
    const kube = await startKube({
      users: [
        {
          token: operatorToken,
          user: OPERATOR_USER,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:vvp-operator'],
        },
      ],
    });
    stoppers.push(() => kube.stop());
    const certs = makeServingCert({ dir: path.join(work, 'webhook-certs') });
    const [webhookPort, metricsPort] = await freePorts(2);

    // The example, synthesized for an operator running outside the cluster.
    const manifests = path.join(work, 'manifests');
    const synth = spawnSync(process.execPath, [CDK8S, 'synth', '--no-check-upgrade', '--output', manifests], {
      cwd: EXAMPLE,
      encoding: 'utf8',
      env: {
        ...process.env,
        HOME: work,
        WEBHOOK_URL: `https://127.0.0.1:${webhookPort}`,
        WEBHOOK_CA_BUNDLE: certs.caBundle,
        VVP_URL: emulator.url,
      },
    });
    if (synth.status !== 0) throw new Error(`cdk8s synth failed:\n${synth.stdout}\n${synth.stderr}`);

    // CRD, namespaces, RBAC, workload objects (inert here: no controllers run), webhook.
    await kube.kubectl(['apply', '-f', path.join(manifests, '0000-operator.k8s.yaml')]);
    await kube.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/vvpdeployments.ververica.platform',
      '--timeout=60s',
    ]);
    await kube.kubectl([
      '-n',
      WATCHED_NAMESPACE,
      'create',
      'secret',
      'generic',
      'vvp-apikey',
      `--from-literal=token=${vvpToken}`,
    ]);

    const operator = startDaemon(
      'vvp-operator',
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'vvp-operator.js'),
        ...['--instance-id', INSTANCE_ID, '--watched-namespaces', WATCHED_NAMESPACE, '--vvp-url', emulator.url],
        ...['--kubeconfig', kube.kubeconfigFor(operatorToken, 'operator')],
        ...['--webhook-port', String(webhookPort), '--webhook-host', '127.0.0.1'],
        ...['--webhook-cert', certs.certPath, '--webhook-key', certs.keyPath],
        ...['--metrics-port', String(metricsPort), '--metrics-host', '127.0.0.1', '--resync-seconds', '5'],
      ],
      { logFile: path.join(work, 'operator.log'), cwd: work },
    );
    // Copied out before the work directory goes away, so a failing test can still show it.
    let lastLog = '';
    stoppers.push(async () => {
      await operator.stop();
      lastLog = operator.log(1_000_000);
    });
    const operatorLog = () => `operator log:\n${operator.running() ? operator.log(8000) : lastLog.slice(-8000)}`;
    await waitFor(
      'operator /readyz',
      async () => operator.running() && (await httpStatus(`http://127.0.0.1:${metricsPort}/readyz`)) === 200,
      { timeoutMs: 60_000, onTimeout: operatorLog },
    );
    return {
      kube,
      emulator,
      vvp: createVvpClient({ baseUrl: emulator.url, token: vvpToken }),
      operator,
      manifests,
      operatorLog,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
