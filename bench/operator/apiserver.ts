/**
 * Readings of the operator benchmark from the kube-apiserver itself: request counters (`apiserver_request_total`
 * on /metrics, by verb, resource and subresource) and the number of Ready CRs (one LIST).
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

/** The apiserver's request counters by `VERB resource[/subresource]`. */
export async function apiserverRequests(kube: Kube): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await get(kube, '/metrics')).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

/**
 * Requests per CR from `before` to `after`. LISTs are left out: the benchmark's own readiness polls are LISTs (both
 * controllers list once, before the first reading). Kinds under 0.05 per CR are summed into the total only.
 */
export function perCr(before: Map<string, number>, after: Map<string, number>, n: number): RequestCounts {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const [key, value] of after) {
    if (key.startsWith('LIST ')) continue;
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
