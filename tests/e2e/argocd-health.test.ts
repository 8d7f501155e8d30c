/**
 * The Argo CD health check (deploy/argocd/vvpdeployment-health.lua), run as Argo CD runs it (gopher-lua with the
 * base and table libraries, the CR as `obj`) by tools/lua's argocd-lua-health, over VvpDeployment fixtures of every
 * combination of the Healthy and Ready conditions, generation vs observedGeneration and actualState. The script is
 * taken from the argocd-cm snippet (deploy/argocd/argocd-cm.yaml), i.e. exactly what an installation registers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { REPO_ROOT } from '../harness/tools';
import { argocdHealth } from './gitops-tools';

const KEY = 'resource.customizations.health.ververica.platform_VvpDeployment';
const snippet = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'argocd', 'argocd-cm.yaml'), 'utf8'));
const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-health-')), 'health.lua');
fs.writeFileSync(script, snippet.data[KEY]);

type Cond = { type: string; status: string; reason: string; message?: string; observedGeneration?: number };

function cr(status: Record<string, unknown> | undefined, generation = 3): Record<string, unknown> {
  return {
    apiVersion: 'ververica.platform/v1',
    kind: 'VvpDeployment',
    metadata: { name: 'orders', namespace: 'team-a', generation },
    spec: { deployment: { metadata: { name: 'orders' }, spec: { state: 'RUNNING' } } },
    ...(status ? { status } : {}),
  };
}

const healthy = (g: number): Cond => ({ type: 'Healthy', status: 'True', reason: 'Healthy', observedGeneration: g });
const unhealthy = (g: number, reason: string, message: string): Cond => ({
  type: 'Healthy',
  status: 'False',
  reason,
  message,
  observedGeneration: g,
});
const ready = (g: number): Cond => ({ type: 'Ready', status: 'True', reason: 'Converged', observedGeneration: g });
const progressing = (g: number): Cond => ({
  type: 'Ready',
  status: 'False',
  reason: 'Progressing',
  message: 'waiting for actual state RUNNING (now STARTING)',
  observedGeneration: g,
});

describe('Argo CD health of VvpDeployment (gopher-lua)', () => {
  it('the argocd-cm snippet embeds the checked-in script unchanged', () => {
    expect(snippet.data[KEY]).toBe(
      fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'argocd', 'vvpdeployment-health.lua'), 'utf8'),
    );
  });

  it.each([
    ['no status yet', 'Progressing', 'Waiting for the vvp-operator to report status', cr(undefined)],
    ['status without conditions', 'Progressing', 'Waiting for the vvp-operator', cr({ deploymentId: 'x' })],
    [
      'Ready and RUNNING',
      'Healthy',
      'The deployment is RUNNING in Ververica Platform',
      cr({ observedGeneration: 3, actualState: 'RUNNING', conditions: [healthy(3), ready(3)] }),
    ],
    [
      'Ready and CANCELLED as specified',
      'Healthy',
      'CANCELLED',
      cr({ observedGeneration: 3, actualState: 'CANCELLED', conditions: [healthy(3), ready(3)] }),
    ],
    [
      'Ready and SUSPENDED',
      'Suspended',
      'SUSPENDED',
      cr({ observedGeneration: 3, actualState: 'SUSPENDED', conditions: [healthy(3), ready(3)] }),
    ],
    [
      'moving towards RUNNING',
      'Progressing',
      'Progressing: waiting for actual state RUNNING (now STARTING)',
      cr({ observedGeneration: 3, actualState: 'STARTING', conditions: [healthy(3), progressing(3)] }),
    ],
    [
      'a new generation not yet observed (the old one was Ready)',
      'Progressing',
      'Waiting for the vvp-operator to process generation 3',
      cr({ observedGeneration: 2, actualState: 'RUNNING', conditions: [healthy(2), ready(2)] }),
    ],
    [
      'an invalid spec',
      'Degraded',
      'InvalidSpec: spec.deployment.metadata.name "A_B" is not a DNS label',
      cr({
        observedGeneration: 3,
        conditions: [unhealthy(3, 'InvalidSpec', 'spec.deployment.metadata.name "A_B" is not a DNS label')],
      }),
    ],
    [
      'an invalid spec reported before observedGeneration moves',
      'Degraded',
      'InvalidSpec: bad',
      cr({ observedGeneration: 2, conditions: [unhealthy(3, 'InvalidSpec', 'bad'), ready(2)] }),
    ],
    [
      'a failure of the previous generation while a new one waits',
      'Progressing',
      'generation 3',
      cr({ observedGeneration: 2, conditions: [unhealthy(2, 'VvpUnreachable', 'connect ECONNREFUSED')] }),
    ],
    [
      'the job FAILED',
      'Degraded',
      'JobFailed: VVP reports FAILED',
      cr({
        observedGeneration: 3,
        actualState: 'FAILED',
        conditions: [unhealthy(3, 'JobFailed', 'VVP reports FAILED')],
      }),
    ],
  ])('%s → %s', (_name, status, message, object) => {
    const [result] = argocdHealth(script, [object]);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(status);
    expect(result.message).toContain(message);
  });

  it('every combination of Healthy, Ready, generation and actualState gets the documented status', () => {
    const healthyOptions: (Cond | undefined)[] = [
      undefined,
      healthy(3),
      unhealthy(3, 'NameConflict', 'a deployment orders exists'),
      unhealthy(2, 'VvpUnreachable', 'timeout'),
    ];
    const readyOptions = (h: Cond | undefined): (Cond | undefined)[] => [
      undefined,
      ready(3),
      ready(2),
      progressing(3),
      ...(h && h.status === 'False' ? [{ ...h, type: 'Ready' }] : []),
    ];
    const cases: { object: Record<string, unknown>; expected: string }[] = [];
    for (const h of healthyOptions) {
      for (const r of readyOptions(h)) {
        for (const observedGeneration of [undefined, 2, 3]) {
          for (const actualState of [undefined, 'RUNNING', 'SUSPENDED', 'CANCELLED', 'FAILED', 'STARTING']) {
            const conditions = [h, r].filter((c): c is Cond => c !== undefined);
            const status = { conditions, ...(observedGeneration ? { observedGeneration } : {}), actualState };
            // The documented precedence (deploy/argocd/README.md): Degraded, then Progressing, then Suspended.
            let expected: string;
            if (h?.status === 'False' && (h.observedGeneration ?? 3) >= 3) expected = 'Degraded';
            else if (observedGeneration !== 3) expected = 'Progressing';
            else if (!r || (r.observedGeneration ?? 3) < 3 || r.status !== 'True') expected = 'Progressing';
            else if (actualState === 'SUSPENDED') expected = 'Suspended';
            else expected = 'Healthy';
            cases.push({ object: cr(status), expected });
          }
        }
      }
    }
    const results = argocdHealth(
      script,
      cases.map((c) => c.object),
    );
    expect(results).toHaveLength(cases.length);
    const mismatches = cases.flatMap((c, i) =>
      results[i].status === c.expected ? [] : [{ status: (c.object as { status: unknown }).status, got: results[i] }],
    );
    expect(mismatches).toEqual([]);
    const seen = new Set(results.map((r) => r.status));
    expect([...seen].sort()).toEqual(['Degraded', 'Healthy', 'Progressing', 'Suspended']);
    expect(cases.length).toBeGreaterThan(300);
  });

  it('a script error is reported, not hidden (the runner is not lenient)', () => {
    const broken = path.join(path.dirname(script), 'broken.lua');
    fs.writeFileSync(broken, 'local s = string.format("%s", obj.kind)\nreturn { status = "Healthy" }\n');
    const [result] = argocdHealth(broken, [cr(undefined)]);
    // Argo CD opens no string library for health scripts: a script relying on it fails there too.
    expect(result.error).toMatch(/string/);
  });
});
