/**
 * Readings of the operator benchmark from the kube-apiserver itself: request counters (`apiserver_request_total`
 * on /metrics, by verb, resource and subresource), the admission webhook calls it made and the time they took
 * (`apiserver_admission_webhook_admission_duration_seconds`, by operation), and the number of Ready CRs (one LIST).
 */
import * as https from 'node:https';
import type { Kube } from '../../tests/harness/kube';

/** Requests per CR between two readings: the total and the share of each `VERB resource[/subresource]`. */
export interface RequestCounts {
  total: number;
  byKind: Record<string, number>;
}

function get(kube: Kube, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, kube.url);
    https
      .get(url, { ca: kube.caPem, headers: { authorization: `Bearer ${kube.token}` }, timeout: 60_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${urlPath}: ${res.statusCode} ${body}`)),
        );
      })
      .on('error', reject);
  });
}

const ADMISSION = 'apiserver_admission_webhook_admission_duration_seconds';

/**
 * The apiserver's request counters by `VERB resource[/subresource]`, and its validating webhook calls as
 * `admission OPERATION` (count) and `admission-seconds OPERATION` (total time), from one read of /metrics.
 */
export async function apiserverRequests(kube: Kube): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (key: string, line: string) =>
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  for (const line of (await get(kube, '/metrics')).split('\n')) {
    const labels = () => Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (line.startsWith('apiserver_request_total{')) {
      const l = labels();
      add(`${l.verb} ${l.resource}${l.subresource ? `/${l.subresource}` : ''}`, line);
    } else if (line.startsWith(`${ADMISSION}_count{`)) add(`admission ${labels().operation}`, line);
    else if (line.startsWith(`${ADMISSION}_sum{`)) add(`admission-seconds ${labels().operation}`, line);
  }
  return counts;
}

/** Admission webhook calls per CR between two readings, by operation, and their mean duration. */
export interface AdmissionCounts {
  perCr: number;
  byOperation: Record<string, number>;
  meanMs: number;
}

/** The apiserver's webhook calls per CR from `before` to `after` (what the webhook cost, seen from the apiserver). */
export function admissionPerCr(before: Map<string, number>, after: Map<string, number>, n: number): AdmissionCounts {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const byOperation: Record<string, number> = {};
  let calls = 0;
  let seconds = 0;
  for (const key of after.keys()) {
    if (!key.startsWith('admission ')) continue;
    const op = key.slice('admission '.length);
    const count = delta(key);
    if (count <= 0) continue;
    byOperation[op] = count / n;
    calls += count;
    seconds += delta(`admission-seconds ${op}`);
  }
  return { perCr: calls / n, byOperation, meanMs: calls ? (seconds / calls) * 1000 : 0 };
}

/**
 * Requests per CR from `before` to `after` (webhook calls are not requests: see admissionPerCr). LISTs are left out: the benchmark's own readiness polls are LISTs (both
 * controllers list once, before the first reading). Kinds under 0.05 per CR are summed into the total only.
 */
export function perCr(before: Map<string, number>, after: Map<string, number>, n: number): RequestCounts {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const [key, value] of after) {
    if (key.startsWith('LIST ') || key.startsWith('admission')) continue;
    const delta = (value - (before.get(key) ?? 0)) / n;
    if (delta <= 0) continue;
    total += delta;
    if (delta >= 0.05) byKind[key] = delta;
  }
  return { total, byKind };
}

/** How many VvpDeployment CRs of a namespace carry the condition Ready=True. */
export async function readyCount(kube: Kube, namespace: string): Promise<number> {
  const list = JSON.parse(await get(kube, `/apis/ververica.platform/v1/namespaces/${namespace}/vvpdeployments`)) as {
    items: { status?: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items.filter((cr) => cr.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .length;
}
