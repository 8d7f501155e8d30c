/** Scripted faults: per-route error codes, latency, dropped connections, and failing jobs or savepoints. */

/** A fault on HTTP requests matching method and path. */
export interface RouteFault {
  /** HTTP method to match; any when absent. */
  method?: string;
  /**
   * Pattern matched against the request path; any when absent. A safe subset of regular expressions: literal
   * text, `.` (any character), `.*` (any run), `\` (escapes the next character), a leading `^` and a trailing `$`;
   * unanchored patterns match anywhere, as a regular expression would.
   */
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

/** Most route faults at once. */
export const MAX_ROUTE_FAULTS = 1000;
const MAX_PATTERN = 500;

type Token = { lit: string } | 'any' | 'star';

/** Compiles a fault path pattern into wildcard tokens; throws naming the construct it does not support. */
export function compilePattern(source: string): Token[] {
  if (source.length > MAX_PATTERN) throw new Error(`the pattern is longer than ${MAX_PATTERN} characters`);
  const tokens: Token[] = [];
  let body = source;
  if (body.startsWith('^')) body = body.slice(1);
  else tokens.push('star');
  let anchoredEnd = false;
  if (body.endsWith('$') && !body.endsWith('\\$')) {
    anchoredEnd = true;
    body = body.slice(0, -1);
  }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      if (i + 1 >= body.length) throw new Error('it ends with a lone backslash');
      tokens.push({ lit: body[++i]! });
    } else if (c === '.' && body[i + 1] === '*') {
      tokens.push('star');
      i++;
    } else if (c === '.') tokens.push('any');
    else if ('()[]{}+?*|^$'.includes(c))
      throw new Error(
        `'${c}' at position ${i + (source.startsWith('^') ? 1 : 0)} is not supported: use literal text, '.', '.*', a leading '^' and a trailing '$'`,
      );
    else tokens.push({ lit: c });
  }
  if (!anchoredEnd) tokens.push('star');
  return tokens;
}

/** Wildcard matching with one backtracking point (the last star): at most |pattern| × |text| steps. */
export function matchPattern(tokens: readonly Token[], text: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const tok = tokens[p];
    if (tok !== undefined && tok !== 'star' && (tok === 'any' || tok.lit === text[t])) {
      t++;
      p++;
    } else if (tok === 'star') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (tokens[p] === 'star') p++;
  return p === tokens.length;
}

/** The fault registry shared by the HTTP layer and the store. */
export class Faults {
  private routes: (RouteFault & { tokens?: Token[]; used: number })[] = [];
  behaviour: BehaviourFaults = {};

  /** Adds a route fault; throws when its path pattern is not supported or too many faults are set. */
  addRoute(fault: RouteFault): void {
    if (this.routes.length >= MAX_ROUTE_FAULTS)
      throw new Error(`at most ${MAX_ROUTE_FAULTS} route faults can be set; clear them first`);
    let tokens: Token[] | undefined;
    try {
      tokens = fault.path === undefined ? undefined : compilePattern(fault.path);
    } catch (err) {
      throw new Error(`Invalid fault path '${fault.path?.slice(0, 60)}': ${(err as Error).message}`);
    }
    this.routes.push({ ...fault, ...(tokens ? { tokens } : {}), used: 0 });
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
        (!f.tokens || matchPattern(f.tokens, path)) &&
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
