/** Scripted faults: per-route error codes, latency, dropped connections, and failing jobs or savepoints. */

/** A fault on HTTP requests matching method and path. */
export interface RouteFault {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Regular expression (source) matched against the request path; any when absent. */
  path?: string;
  /** Answer with this status and `{message}` instead of handling the request. */
  status?: number;
  /** Message of the injected error. @default "injected fault" */
  message?: string;
  /** Delay before the request is handled (or failed), in ms. */
  latencyMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
}

/** A fault in the platform's own behaviour. */
export interface BehaviourFaults {
  /** Job creation fails (deployment goes FAILED after maxJobCreationAttempts); optionally only for one deployment name. */
  failJobs?: boolean | string;
  /** Savepoints end FAILED; optionally only for one deployment name. */
  failSavepoints?: boolean | string;
  /** Jobs finish on their own after starting (finite jobs → FINISHED); optionally only for one deployment name. */
  finishJobs?: boolean | string;
}

/** The fault registry shared by the HTTP layer and the store. */
export class Faults {
  private routes: (RouteFault & { pattern?: RegExp; used: number })[] = [];
  behaviour: BehaviourFaults = {};

  /** Adds a route fault. */
  addRoute(fault: RouteFault): void {
    this.routes.push({ ...fault, ...(fault.path ? { pattern: new RegExp(fault.path) } : {}), used: 0 });
  }

  /** Sets behaviour faults (merged with the current ones). */
  setBehaviour(faults: BehaviourFaults): void {
    this.behaviour = { ...this.behaviour, ...faults };
  }

  /** Removes every fault. */
  clear(): void {
    this.routes = [];
    this.behaviour = {};
  }

  /** The first active route fault for a request, consuming one use of it. */
  match(method: string, path: string): RouteFault | undefined {
    const fault = this.routes.find(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.pattern || f.pattern.test(path)) &&
        (f.times === undefined || f.used < f.times),
    );
    if (fault) fault.used++;
    return fault;
  }

  /** True when a behaviour fault applies to a deployment name. */
  applies(kind: keyof BehaviourFaults, deploymentName: string): boolean {
    const v = this.behaviour[kind];
    return v === true || v === deploymentName;
  }
}
