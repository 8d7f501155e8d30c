/**
 * Property values between the gRPC wire (protobuf Struct) and the handlers (plain JSON). The server answers
 * Configure with acceptSecrets=false, so the engine sends secrets as plain values and re-applies their secretness
 * by key to what we return; a secret wrapper that still arrives (an engine that ignores the answer) is unwrapped
 * here so no handler ever sees it. Unknown values (preview) arrive as the UNKNOWN sentinel string.
 */
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { isPlainObject, prune } from '../../../core/src/index';

/** Pulumi's signature key of special values (secrets, assets, resource references). */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
/** Signature value of a secret. */
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** A JSON object of property values. */
export type Props = Record<string, unknown>;

function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (!isPlainObject(value)) return value;
  if (value[SIG_KEY] === SECRET_SIG) return unwrap(value.value);
  const out: Props = {};
  for (const [k, v] of Object.entries(value)) out[k] = unwrap(v);
  return out;
}

/** A request Struct as plain values (absent → `{}`). */
export function fromStruct(struct: Struct | undefined): Props {
  if (!struct) return {};
  return unwrap(struct.toJavaScript()) as Props;
}

/** Plain values as a Struct; `undefined`/`null` leaves are dropped (a Struct has no undefined). */
export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(prune(JSON.parse(JSON.stringify(props))) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** The property keys of `props` with `keys` removed. */
export function without(props: Props, keys: readonly string[]): Props {
  const out: Props = { ...props };
  for (const key of keys) delete out[key];
  return out;
}
