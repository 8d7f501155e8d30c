/**
 * Bounded request bodies: a size limit while reading (413), then a nesting-depth limit checked on the raw text
 * before any parser runs (400), for JSON and YAML alike. YAML is measured on the lexer's tokens, which is linear,
 * so a deeply nested document never reaches the recursive parts of the YAML parser.
 */
import type { IncomingMessage } from 'node:http';
import { CST, Lexer, parse as parseYaml } from 'yaml';
import { HttpError } from './errors';
import { isObj, type Json } from './json';

/** Limits of request bodies. */
export interface BodyLimits {
  /** Largest body in bytes. */
  maxBodyBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBodyBytes: 1024 * 1024, maxDepth: 64 };

const tooLarge = (size: string, max: number) =>
  new HttpError(413, `Request body too large: ${size} exceeds the limit of ${max} bytes (--max-body-bytes)`);

/** Most unread body bytes discarded after an early answer before the connection is cut. */
export const LINGER_MAX_BYTES = 16 * 1024 * 1024;
/** Longest wait for the rest of an unread body after an early answer. */
export const LINGER_MAX_MS = 10_000;

/**
 * After an early answer (401, 404, 413) to a request whose body is still arriving: reads and discards the rest,
 * so the client receives the answer instead of a reset (closing a socket with unread bytes makes TCP send RST,
 * which can destroy the answer in the client's buffer before it is read). The discard is bounded: beyond
 * LINGER_MAX_BYTES or LINGER_MAX_MS the socket is cut. Nothing discarded is parsed.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MAX_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_MAX_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/** Reads the body, refusing more than `max` bytes (413, as soon as the limit is passed). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge(`content-length ${declared}`, max));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(`more than ${max} bytes`, max));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
    req.once('aborted', () => reject(new HttpError(400, 'Request body incomplete: the client aborted')));
  });
}

const depthError = (max: number) =>
  new HttpError(400, `Malformed request body: nesting deeper than the limit of ${max} levels (--max-body-depth)`);

/** Throws when JSON text nests objects/arrays deeper than `max` (strings are skipped). */
export function checkJsonDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) throw depthError(max);
    } else if (c === 125 || c === 93) depth--;
  }
}

const INDICATORS = new Set(['seq-item-ind', 'map-value-ind', 'explicit-key-ind']);

/** Most lexer tokens of a YAML body: the YAML parser is not linear in them (send JSON for large bodies). */
export const MAX_YAML_TOKENS = 20_000;

/**
 * Throws when YAML text may nest deeper than `max`: an upper bound from the lexer's tokens (the block indentation
 * levels open on a line, plus the indicators on that line, plus open flow collections), and at most
 * MAX_YAML_TOKENS tokens.
 */
export function checkYamlDepth(text: string, max: number): void {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let onLine = 0;
  let count = 0;
  for (const token of new Lexer().lex(text)) {
    if (++count > MAX_YAML_TOKENS)
      throw new HttpError(
        400,
        `Malformed request body: more than ${MAX_YAML_TOKENS} YAML tokens (the YAML size limit); send large bodies as JSON`,
      );
    const type = CST.tokenType(token);
    if (type === 'newline') {
      lineStart = true;
      indent = 0;
      onLine = 0;
      continue;
    }
    if (type === 'space' || type === 'comment') {
      if (lineStart && type === 'space') indent = token.length;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
    }
    if (type === 'flow-map-start' || type === 'flow-seq-start') flow++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') flow = Math.max(0, flow - 1);
    // in flow context the brackets count nesting exactly; `{a: b, c: d}` is one level
    else if (flow === 0 && type !== null && INDICATORS.has(type)) onLine++;
    if (indents.length + onLine + flow > max) throw depthError(max);
  }
}

/** Throws when a parsed value nests deeper than `max` (YAML aliases can deepen a tree after parsing). */
function checkTreeDepth(value: unknown, max: number): void {
  const stack: [unknown, number][] = [[value, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d >= max) throw depthError(max);
    if (++visited > 1_000_000)
      throw new HttpError(400, 'Malformed request body: more than 1000000 values (expanded YAML aliases?)');
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON or YAML body (per content-type) into an object within the limits; an empty body is `{}`. */
export function parseBody(raw: Buffer, contentType: string | undefined, limits: BodyLimits): Json {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new HttpError(400, 'Malformed request body: it is not valid UTF-8');
  }
  if (!text.trim()) return {};
  const yaml = /yaml/i.test(contentType ?? '');
  let value: unknown;
  if (yaml) {
    checkYamlDepth(text, limits.maxDepth);
    try {
      // uniqueKeys is quadratic in the keys of a map: a repeated key takes the last value, as JSON.parse does
      value = parseYaml(text, { maxAliasCount: 100, logLevel: 'error', prettyErrors: false, uniqueKeys: false });
    } catch (err) {
      throw new HttpError(400, `Malformed request body (YAML): ${firstLine(err)}`);
    }
    checkTreeDepth(value, limits.maxDepth);
  } else {
    checkJsonDepth(text, limits.maxDepth);
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, `Malformed request body (JSON): ${firstLine(err)}`);
    }
  }
  if (!isObj(value))
    throw new HttpError(
      400,
      `Malformed request body: it must be an object (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`,
    );
  return value;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
