/**
 * Turns the objects a cdk8s chart synthesizes into Helm templates, so a Helm chart has the construct as its only
 * source. The construct is synthesized with placeholder tokens for the values (plain lowercase words that pass
 * its validation) and once per combination of the boolean choices ("variants"); each distinct rendering of an
 * object becomes a template guarded by the simplest condition on the values that selects exactly its variants.
 * Tokens in strings become Go template expressions; objects named after a list token are rendered in a `range`.
 */
import * as YAML from 'yaml';

/** A synthesized Kubernetes object. */
export type ManifestObject = Record<string, unknown> & {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
};

/** A value placeholder: the token the construct receives and the Go template expression that replaces it. */
export interface HelmToken {
  /** Template expression, e.g. `$.Values.instanceId`. */
  readonly expr: string;
  /** `number` renders unquoted. @default string */
  readonly type?: 'string' | 'number';
  /** For a list value: the range variable that stands for one element inside objects named after it. */
  readonly rangeVar?: string;
  /** For a list value: the list expression ranged over. */
  readonly rangeExpr?: string;
  /** For an object value: rendered as a YAML block (`toYaml ... | nindent`). */
  readonly block?: boolean;
}

/** One boolean choice of the chart and the values expression that is true when it is taken. */
export interface HelmDimension {
  readonly name: string;
  readonly expr: string;
}

/** A synthesized variant: the dimension assignment and the objects the construct emitted for it. */
export interface HelmVariant {
  readonly assignment: Record<string, boolean>;
  readonly objects: ManifestObject[];
}

/** Options of {@link helmTemplates}. */
export interface HelmTemplateOptions {
  readonly tokens: Record<string, HelmToken>;
  readonly dimensions: readonly HelmDimension[];
  readonly variants: readonly HelmVariant[];
  /** Extra condition inside the range of a list token (e.g. skip the release namespace), by object kind. */
  readonly rangeGuards?: Record<string, string>;
}

const keyOf = (o: ManifestObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function literal(dimension: HelmDimension, value: boolean): string {
  return value ? dimension.expr : `not ${dimension.expr}`;
}

function conjunction(literals: string[]): string {
  if (literals.length === 1) return literals[0];
  return `and ${literals.map((l) => `(${l})`).join(' ')}`;
}

/** The simplest condition (fewest literals) selecting exactly `selected` among the variants; '' when all. */
export function conditionFor(
  dimensions: readonly HelmDimension[],
  variants: readonly HelmVariant[],
  selected: ReadonlySet<number>,
): string {
  if (selected.size === variants.length) return '';
  let best: string[] | undefined;
  const choices = dimensions.map(() => [undefined, true, false] as (boolean | undefined)[]);
  const total = 3 ** dimensions.length;
  for (let n = 0; n < total; n++) {
    const partial = choices.map((c, i) => c[Math.floor(n / 3 ** i) % 3]);
    const matches = variants.every((v, i) => {
      const fits = dimensions.every((d, j) => partial[j] === undefined || v.assignment[d.name] === partial[j]);
      return fits === selected.has(i);
    });
    if (!matches) continue;
    const literals = dimensions.flatMap((d, j) => (partial[j] === undefined ? [] : [literal(d, partial[j]!)]));
    if (!best || literals.length < best.length) best = literals;
  }
  if (best) return conjunction(best);
  const alternatives = [...selected].map((i) =>
    conjunction(dimensions.map((d) => literal(d, variants[i].assignment[d.name]))),
  );
  return `or ${alternatives.map((a) => `(${a})`).join(' ')}`;
}

/** Splits a string into literal text and tokens. */
function pieces(value: string, tokens: Record<string, HelmToken>): (string | { token: string })[] {
  const names = Object.keys(tokens).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const out: (string | { token: string })[] = [];
  let last = 0;
  for (const m of value.matchAll(pattern)) {
    if (m.index > last) out.push(value.slice(last, m.index));
    out.push({ token: m[0] });
    last = m.index + m[0].length;
  }
  if (last < value.length) out.push(value.slice(last));
  return out;
}

/** Renders one object as YAML with its tokens replaced by template expressions. */
function renderObject(object: ManifestObject, tokens: Record<string, HelmToken>, rangeToken?: string): string {
  const markers: { marker: string; template: string; block?: string }[] = [];
  const exprOf = (token: string) =>
    token === rangeToken
      ? tokens[token].rangeVar!
      : tokens[token].expr.includes(' ')
        ? `(${tokens[token].expr})`
        : tokens[token].expr;
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    if (typeof value !== 'string') return value;
    const parts = pieces(value, tokens);
    if (!parts.some((p) => typeof p !== 'string')) return value;
    const marker = `zzmarker${markers.length}zz`;
    const only = parts.length === 1 && typeof parts[0] !== 'string' ? tokens[parts[0].token] : undefined;
    if (only?.block) markers.push({ marker, template: '', block: only.expr });
    else if (only?.type === 'number')
      markers.push({ marker, template: `{{ ${exprOf((parts[0] as { token: string }).token)} }}` });
    else {
      const args = parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : exprOf(p.token)));
      markers.push({ marker, template: `{{ ${args.length === 1 ? args[0] : `print ${args.join(' ')}`} | quote }}` });
    }
    return marker;
  };
  let text = YAML.stringify(replace(object), { lineWidth: 0 });
  for (const m of markers) {
    if (m.block) {
      text = text.replace(new RegExp(`^( *)(.*?) ${m.marker}$`, 'm'), (_all, indent: string, key: string) => {
        const inner = indent.length + 2;
        return `${indent}${key}\n${indent}  {{- toYaml ${m.block} | nindent ${inner} }}`;
      });
    } else text = text.split(m.marker).join(m.template);
  }
  return text;
}

/** Template files (by kind) for the variants: `{ 'deployment.yaml': '...' }`. */
export function helmTemplates(options: HelmTemplateOptions): Record<string, string> {
  const { tokens, dimensions, variants } = options;
  // Every distinct rendering of every object, with the variants it occurs in, in order of first appearance.
  const renderings = new Map<string, { object: ManifestObject; variants: Set<number> }[]>();
  variants.forEach((variant, index) => {
    for (const object of variant.objects) {
      const key = keyOf(object);
      const list = renderings.get(key) ?? [];
      renderings.set(key, list);
      const json = JSON.stringify(object);
      const same = list.find((r) => JSON.stringify(r.object) === json);
      if (same) same.variants.add(index);
      else list.push({ object, variants: new Set([index]) });
    }
  });
  const files: Record<string, string[]> = {};
  for (const [key, list] of renderings) {
    for (const { object, variants: selected } of list) {
      const condition = conditionFor(dimensions, variants, selected);
      const rangeToken = Object.keys(tokens).find((t) => tokens[t].rangeVar && key.includes(t));
      let body = renderObject(object, tokens, rangeToken);
      if (rangeToken) {
        const t = tokens[rangeToken];
        const guard = options.rangeGuards?.[String(object.kind)];
        body = guard ? `{{- if ${guard} }}\n---\n${body}{{- end }}\n` : `---\n${body}`;
        body = `{{- range ${t.rangeVar} := ${t.rangeExpr} }}\n${body}{{- end }}\n`;
      } else body = `---\n${body}`;
      if (condition) body = `{{- if ${condition} }}\n${body}{{- end }}\n`;
      const file = `${String(object.kind).toLowerCase()}.yaml`;
      (files[file] ??= []).push(body);
    }
  }
  return Object.fromEntries(Object.entries(files).map(([file, bodies]) => [file, bodies.join('')]));
}
