/**
 * The distribution test tools built by scripts/tools-gitops.sh: helm and argocd-lua-health (gopher-lua, the Lua VM
 * Argo CD runs health checks with). `VVP_IAC_GITOPS_TOOLS_DIR` wins; otherwise the script runs (a no-op once built).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kube } from '../harness/kube';
import { REPO_ROOT } from '../harness/tools';

let cached: string | undefined;

/** Absolute path of `helm` or `argocd-lua-health`. */
export function gitopsTool(name: 'helm' | 'argocd-lua-health'): string {
  if (!cached) {
    cached = process.env.VVP_IAC_GITOPS_TOOLS_DIR;
    if (!cached) {
      const res = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'tools-gitops.sh')], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      });
      if (res.status !== 0) throw new Error(`bash scripts/tools-gitops.sh failed (exit ${res.status ?? res.signal})`);
      cached = res.stdout.trim().split('\n').pop();
      process.env.VVP_IAC_GITOPS_TOOLS_DIR = cached;
    }
  }
  const file = path.join(cached!, name);
  if (!fs.existsSync(file)) throw new Error(`${name} is not in ${cached}; run bash scripts/tools-gitops.sh`);
  return file;
}

/** Argo CD's verdict for each object, by running the health script with gopher-lua. */
export function argocdHealth(
  script: string,
  objects: unknown[],
): { status?: string; message?: string; error?: string }[] {
  const res = spawnSync(gitopsTool('argocd-lua-health'), [script], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`argocd-lua-health failed: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

/**
 * Registers cert-manager's Issuer and Certificate kinds as plain CRDs (cert-manager itself does not run in the test
 * apiserver), so manifests that use them apply as on a cluster with cert-manager installed.
 */
export async function registerCertManagerKinds(kube: Kube): Promise<void> {
  for (const [kind, plural] of [
    ['Issuer', 'issuers'],
    ['Certificate', 'certificates'],
  ]) {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.cert-manager.io` },
      spec: {
        group: 'cert-manager.io',
        names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await kube.kubectl(['apply', '-f', '-'], { input: JSON.stringify(crd) });
    await kube.kubectl(['wait', '--for=condition=Established', `crd/${plural}.cert-manager.io`]);
  }
}
