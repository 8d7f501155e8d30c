/**
 * The route table of the VVP API and a linear matcher: a path is split into segments once, each segment is
 * percent-decoded once (a bad encoding is a 400 naming the segment), and routes compare segments; no regular
 * expression runs on a request path, so no path can make matching slow. Read handlers return live objects: the
 * answer is serialised before anything else runs.
 */
import * as activity from './activity';
import * as autopilot from './autopilot';
import * as deployments from './deployments';
import { HttpError } from './errors';
import type { Json } from './json';
import * as secrets from './secrets';
import * as sessionclusters from './sessionclusters';
import type { Store } from './store';

/** Who may call a route: anyone, any valid token, a role in the path's namespace, or the platform admin. */
export type Access = 'public' | 'authenticated' | 'viewer' | 'editor' | 'owner' | 'admin';

/** What a handler gets. */
export interface RouteContext {
  store: Store;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: Json;
  /** Who sends the request (write protection): a token name, the platform admin or the anonymous caller. */
  caller?: string;
}

interface Handler {
  access: Access;
  /** Whether the handler reads a body. */
  body?: boolean;
  run(c: RouteContext): [number, unknown];
}

interface Route {
  template: string;
  segments: readonly string[];
  methods: Readonly<Record<string, Handler>>;
}

const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'v1', metadata: {}, items });
const q = (c: RouteContext, k: string) => c.query.get(k) || undefined;
const filter = (c: RouteContext) => ({
  ...(q(c, 'deploymentId') ? { deploymentId: q(c, 'deploymentId') } : {}),
  ...(q(c, 'jobId') ? { jobId: q(c, 'jobId') } : {}),
});
const read = (run: Handler['run']): Handler => ({ access: 'viewer', run });
const write = (run: Handler['run']): Handler => ({ access: 'editor', body: true, run });
const remove = (run: Handler['run']): Handler => ({ access: 'editor', run });

const NS = '/api/v1/namespaces/{ns}';
const AUTOPILOT = '/autopilot/v1alpha1/namespaces/{ns}/deployments/{deploymentId}/autopilotpolicy';
const TABLE: Record<string, Record<string, Handler>> = {
  '/api/v1/status': { GET: { access: 'public', run: () => [200, { status: 'OK' }] } },
  '/api/v1/status/system-info': {
    GET: {
      access: 'authenticated',
      run: () => [
        200,
        {
          status: {
            jvmVersion: process.version,
            revisionInformation: { buildVersion: 'vvp-emulator', commitShaShort: 'emulator' },
          },
        },
      ],
    },
  },
  '/api/v1/global-deployment-defaults': {
    GET: { access: 'authenticated', run: (c) => [200, c.store.globalDefaults()] },
  },
  [`${NS}/deployments`]: {
    GET: read((c) => [
      200,
      list('DeploymentList', deployments.listDeployments(c.store.state, c.params.ns!, q(c, 'labelSelector'))),
    ]),
    POST: write((c) => [201, c.store.createDeployment(c.params.ns!, c.body, c.caller)]),
  },
  [`${NS}/deployments/{name}`]: {
    GET: read((c) => [200, deployments.record(c.store.state, c.params.ns!, c.params.name!).deployment]),
    PATCH: write((c) => [200, c.store.patchDeployment(c.params.ns!, c.params.name!, c.body, c.caller)]),
    PUT: write((c) => {
      const r = c.store.putDeployment(c.params.ns!, c.params.name!, c.body, c.caller);
      return [r.created ? 201 : 200, r.deployment];
    }),
    DELETE: remove((c) => [200, c.store.deleteDeployment(c.params.ns!, c.params.name!, c.caller)]),
  },
  [`${NS}/deployment-defaults`]: {
    GET: read((c) => [200, c.store.getDefaults(c.params.ns!)]),
    PATCH: write((c) => [200, c.store.patchDefaults(c.params.ns!, c.body)]),
  },
  [`${NS}/deployment-targets`]: {
    GET: read((c) => [200, list('DeploymentTargetList', c.store.listTargets(c.params.ns!))]),
    POST: write((c) => [201, c.store.createTarget(c.params.ns!, c.body)]),
  },
  [`${NS}/deployment-targets/{name}`]: {
    GET: read((c) => [200, c.store.getTarget(c.params.ns!, c.params.name!)]),
    PUT: write((c) => {
      const r = c.store.putTarget(c.params.ns!, c.params.name!, c.body);
      return [r.created ? 201 : 200, r.body];
    }),
    DELETE: remove((c) => [200, c.store.deleteTarget(c.params.ns!, c.params.name!)]),
  },
  [`${NS}/savepoints`]: {
    GET: read((c) => [200, list('SavepointList', activity.listSavepoints(c.store.state, c.params.ns!, filter(c)))]),
    POST: write((c) => [201, c.store.postSavepoint(c.params.ns!, c.body, c.caller)]),
  },
  [`${NS}/savepoints/{id}`]: {
    GET: read((c) => [200, activity.getSavepoint(c.store.state, c.params.ns!, c.params.id!)]),
    // ADR 0010: vvp-3 and lenient only (405 in vvp-2.4); `?force=` is accepted and changes nothing
    DELETE: remove((c) => [200, activity.deleteSavepoint(c.store.state, c.params.ns!, c.params.id!)]),
  },
  [`${NS}/jobs`]: {
    GET: read((c) => [200, list('JobList', activity.listJobs(c.store.state, c.params.ns!, q(c, 'deploymentId')))]),
  },
  [`${NS}/jobs/{id}`]: { GET: read((c) => [200, activity.getJob(c.store.state, c.params.ns!, c.params.id!)]) },
  [`${NS}/events`]: {
    GET: read((c) => [200, list('EventList', activity.listEvents(c.store.state, c.params.ns!, filter(c)))]),
    POST: write((c) => [201, c.store.postEvent(c.params.ns!, c.body)]),
  },
  // platform resources of ADR 0010
  [`${NS}/sessionclusters`]: {
    GET: read((c) => [200, list('SessionClusterList', sessionclusters.listClusters(c.store.state, c.params.ns!))]),
    POST: write((c) => [201, sessionclusters.createCluster(c.store.state, c.params.ns!, c.body)]),
  },
  [`${NS}/sessionclusters/{name}`]: {
    GET: read((c) => [200, sessionclusters.getCluster(c.store.state, c.params.ns!, c.params.name!)]),
    PUT: write((c) => {
      const r = sessionclusters.putCluster(c.store.state, c.params.ns!, c.params.name!, c.body);
      return [r.created ? 201 : 200, r.cluster];
    }),
    PATCH: write((c) => [200, sessionclusters.patchCluster(c.store.state, c.params.ns!, c.params.name!, c.body)]),
    DELETE: remove((c) => [200, sessionclusters.deleteCluster(c.store.state, c.params.ns!, c.params.name!)]),
  },
  [`${NS}/secret-values`]: {
    GET: read((c) => [200, list('SecretValueList', secrets.listSecrets(c.store.state, c.params.ns!))]),
    POST: write((c) => [201, secrets.createSecret(c.store.state, c.params.ns!, c.body)]),
  },
  [`${NS}/secret-values/{name}`]: {
    GET: read((c) => [200, secrets.getSecret(c.store.state, c.params.ns!, c.params.name!)]),
    PATCH: write((c) => [200, secrets.patchSecret(c.store.state, c.params.ns!, c.params.name!, c.body)]),
    DELETE: remove((c) => [200, secrets.deleteSecret(c.store.state, c.params.ns!, c.params.name!)]),
  },
  [AUTOPILOT]: {
    GET: read((c) => [200, autopilot.getPolicy(c.store.state, c.params.ns!, c.params.deploymentId!)]),
    PUT: write((c) => [200, autopilot.putPolicy(c.store.state, c.params.ns!, c.params.deploymentId!, c.body)]),
  },
  [`${AUTOPILOT}:status`]: {
    GET: read((c) => [200, autopilot.policyStatus(c.store.state, c.params.ns!, c.params.deploymentId!)]),
  },
  '/namespaces/v1/namespaces': {
    GET: { access: 'admin', run: (c) => [200, { namespaces: c.store.listNamespaces() }] },
    POST: { access: 'admin', body: true, run: (c) => [200, { namespace: c.store.createNamespaceFromBody(c.body) }] },
  },
  '/namespaces/v1/namespaces/{ns}': {
    GET: { access: 'owner', run: (c) => [200, { namespace: c.store.getNamespace(c.params.ns!) }] },
    DELETE: { access: 'admin', run: (c) => [200, { namespace: c.store.deleteNamespace(c.params.ns!) }] },
  },
  '/apitokens/v1/namespaces/{ns}/apitokens': {
    GET: { access: 'owner', run: (c) => [200, c.store.listTokens(c.params.ns!)] },
    POST: { access: 'owner', body: true, run: (c) => [200, c.store.createToken(c.params.ns!, c.body)] },
  },
  '/apitokens/v1/namespaces/{ns}/apitokens/{name}': {
    GET: { access: 'owner', run: (c) => [200, c.store.getToken(c.params.ns!, c.params.name!)] },
    DELETE: { access: 'owner', run: (c) => [200, c.store.deleteToken(c.params.ns!, c.params.name!)] },
  },
};

const ROUTES: readonly Route[] = Object.entries(TABLE).map(([template, methods]) => ({
  template,
  segments: template.split('/').slice(1),
  methods,
}));

/** Every route and method (for the access matrix and documentation). */
export const ROUTE_TABLE: readonly { template: string; method: string; access: Access }[] = ROUTES.flatMap((r) =>
  Object.entries(r.methods).map(([method, h]) => ({ template: r.template, method, access: h.access })),
);

/** The decoded segments of a path (without empty trailing segments); 400 for a bad percent-encoding. */
export function splitPath(pathname: string): string[] {
  const raw = pathname.split('/').slice(1);
  while (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((segment, i) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      const shown = segment.length > 60 ? `${segment.slice(0, 60)}…` : segment;
      throw new HttpError(
        400,
        `Invalid path segment ${i + 1} '${shown}': malformed percent-encoding; encode '%' as %25`,
      );
    }
  });
}

/** A matched route. */
export interface Match {
  template: string;
  handler: Handler;
  params: Record<string, string>;
}

/** The route of a method and decoded path segments; 404 naming the path (or its namespace) when there is none. */
export function matchRoute(store: Store, method: string, segments: readonly string[]): Match {
  for (const route of ROUTES) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const want = route.segments[i]!;
      if (want.startsWith('{')) params[want.slice(1, -1)] = segments[i]!;
      else ok = want === segments[i];
    }
    if (!ok) continue;
    const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    if (handler) return { template: route.template, handler, params };
  }
  const shown = `/${segments.join('/')}`.slice(0, 200);
  if (segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'namespaces' && segments.length > 4) {
    if (!store.hasNamespace(segments[3]!)) throw new HttpError(404, `Namespace '${segments[3]}' does not exist`);
  }
  throw new HttpError(404, `No route for ${method} ${shown}`);
}
