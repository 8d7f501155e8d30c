/** The admin routes (not part of VVP): the request log and fault injection. */
import { HttpError } from './errors';
import { compilePattern, type BehaviourFaults, type Faults, type RouteFault } from './faults';
import type { Json } from './json';
import type { Shape } from './model';
import { checkFields } from './validate';

/** The path prefix of the admin routes. */
export const ADMIN_PREFIX = '/__emulator';

const FAULTS_BODY: Shape = {
  fields: {
    routes: {
      listOf: {
        fields: {
          method: 'string',
          path: 'string',
          status: 'integer',
          message: 'string',
          latencyMs: 'number',
          drop: 'boolean',
          times: 'integer',
        },
      },
    },
    behaviour: { fields: { failJobs: 'scalar', failSavepoints: 'scalar', finishJobs: 'scalar' } },
  },
};

/** What the admin routes act on. */
export interface AdminTarget {
  faults: Faults;
  requests: unknown[];
  dropped(): number;
  /** `POST /__emulator/autopilot/step`: one Autopilot scaling step now (ADR 0010). */
  autopilotStep?(body: Json): unknown;
}

/** Handles an admin route; the body is read only for POST. */
export function admin(target: AdminTarget, method: string, pathname: string, body: Json): [number, unknown] {
  if (pathname === `${ADMIN_PREFIX}/requests`) {
    if (method === 'GET') return [200, { requests: target.requests, dropped: target.dropped() }];
    if (method === 'DELETE') {
      target.requests.length = 0;
      return [200, { requests: target.requests, dropped: target.dropped() }];
    }
  }
  if (pathname === `${ADMIN_PREFIX}/faults`) {
    if (method === 'POST') {
      checkFields(body, FAULTS_BODY, '', 'reject');
      const routes = (body.routes as RouteFault[] | undefined) ?? [];
      routes.forEach((f, i) => {
        if (f.status !== undefined && (f.status < 100 || f.status > 599))
          throw new HttpError(400, `Invalid routes[${i}].status ${f.status}: use an HTTP status from 100 to 599`);
        if (f.latencyMs !== undefined && (f.latencyMs < 0 || f.latencyMs > 600_000))
          throw new HttpError(400, `Invalid routes[${i}].latencyMs ${f.latencyMs}: use 0 to 600000`);
        if (f.times !== undefined && f.times < 0)
          throw new HttpError(400, `Invalid routes[${i}].times ${f.times}: must be at least 0`);
        try {
          if (f.path !== undefined) compilePattern(f.path);
        } catch (err) {
          throw new HttpError(400, `Invalid routes[${i}].path '${f.path!.slice(0, 60)}': ${(err as Error).message}`);
        }
      });
      routes.forEach((f, i) => {
        try {
          target.faults.addRoute(f);
        } catch (err) {
          throw new HttpError(400, `routes[${i}]: ${(err as Error).message}`);
        }
      });
      if (body.behaviour) target.faults.setBehaviour(body.behaviour as BehaviourFaults);
      return [200, { ok: true }];
    }
    if (method === 'DELETE') {
      target.faults.clear();
      return [200, { ok: true }];
    }
  }
  if (pathname === `${ADMIN_PREFIX}/autopilot/step` && method === 'POST' && target.autopilotStep)
    return [200, target.autopilotStep(body)];
  throw new HttpError(404, `No admin route ${method} ${pathname.slice(0, 200)}`);
}
