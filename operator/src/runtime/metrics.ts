/** Prometheus metrics of the operator (prom-client, one private registry). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The operator's metrics. */
export interface OperatorMetrics {
  readonly registry: Registry;
  readonly reconciles: Counter<'result'>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly vvpRequests: Counter<'method' | 'code'>;
  readonly kubeRequests: Counter<'verb' | 'code'>;
  readonly queueDepth: Gauge;
  readonly managedResources: Gauge;
  readonly nonces: Counter<'kind' | 'action'>;
  readonly statusWrites: Counter;
  readonly admissionReviews: Counter<'operation' | 'allowed'>;
  readonly leader: Gauge;
}

/** Creates the metrics in a new registry (with Node.js process metrics). */
export function createMetrics(): OperatorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vvp_operator_' });
  const r = [registry];
  return {
    registry,
    reconciles: new Counter({
      name: 'vvp_operator_reconciles_total',
      help: 'Reconciles by result',
      labelNames: ['result'],
      registers: r,
    }),
    reconcileDuration: new Histogram({
      name: 'vvp_operator_reconcile_duration_seconds',
      help: 'Reconcile latency',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    vvpRequests: new Counter({
      name: 'vvp_operator_vvp_requests_total',
      help: 'Requests to VVP by method and HTTP status (0 = network error)',
      labelNames: ['method', 'code'],
      registers: r,
    }),
    kubeRequests: new Counter({
      name: 'vvp_operator_kube_requests_total',
      help: 'Requests to the Kubernetes API by verb and HTTP status',
      labelNames: ['verb', 'code'],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'vvp_operator_queue_depth',
      help: 'CR keys waiting or running in the work queue',
      registers: r,
    }),
    managedResources: new Gauge({
      name: 'vvp_operator_managed_resources',
      help: 'VvpDeployment CRs whose owner label is this instance',
      registers: r,
    }),
    nonces: new Counter({
      name: 'vvp_operator_nonces_total',
      help: 'Nonce changes by kind and action (triggered, blocked)',
      labelNames: ['kind', 'action'],
      registers: r,
    }),
    statusWrites: new Counter({
      name: 'vvp_operator_status_writes_total',
      help: 'Status subresource writes',
      registers: r,
    }),
    admissionReviews: new Counter({
      name: 'vvp_operator_admission_reviews_total',
      help: 'Admission reviews by operation and verdict',
      labelNames: ['operation', 'allowed'],
      registers: r,
    }),
    leader: new Gauge({
      name: 'vvp_operator_leader',
      help: '1 while this replica holds the leader lease',
      registers: r,
    }),
  };
}
