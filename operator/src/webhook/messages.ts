/** Bounded rendering of admission answers: every problem list and warning list has a count and a byte cap. */

/** Problems listed one by one in a denial; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;
/** Largest denial message in bytes (UTF-8), in the answer and in the log. */
export const MAX_MESSAGE_BYTES = 8 * 1024;
/** Warnings returned; the rest are counted in the last one. */
export const MAX_WARNINGS = 20;
/** Kubernetes shows admission warnings of at most this many characters. */
export const MAX_WARNING_CHARS = 256;

/** Cuts text to at most `max` UTF-8 bytes, marking the cut with "…". */
export function truncateBytes(text: string, max: number): string {
  if (text.length <= max / 3 || Buffer.byteLength(text) <= max) return text;
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, max - 3)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${cut}…`;
}

/**
 * `N problems: 1) path: message; 2) ...`: at most MAX_LISTED_PROBLEMS listed (each line at most 1 KiB), as many as
 * fit in MAX_MESSAGE_BYTES, and "and N more" for the rest.
 */
export function renderProblems(problems: readonly { path: string; message: string }[]): string {
  const n = problems.length;
  const head = `${n} problem${n > 1 ? 's' : ''}: `;
  const budget = MAX_MESSAGE_BYTES - Buffer.byteLength(head) - 32; // room for "; and N more"
  const lines: string[] = [];
  let used = 0;
  for (const [i, p] of problems.slice(0, MAX_LISTED_PROBLEMS).entries()) {
    const line = truncateBytes(`${n > 1 ? `${i + 1}) ` : ''}${p.path}: ${p.message}`, 1024);
    const bytes = Buffer.byteLength(line) + 2;
    if (used + bytes > budget) break;
    lines.push(line);
    used += bytes;
  }
  const more = n > lines.length ? `${lines.length ? '; ' : ''}and ${n - lines.length} more` : '';
  return `${head}${lines.join('; ')}${more}`;
}

/** At most MAX_WARNINGS warnings of at most MAX_WARNING_CHARS characters each. */
export function boundWarnings(warnings: readonly string[]): string[] {
  const short = (w: string) => (w.length > MAX_WARNING_CHARS ? `${w.slice(0, MAX_WARNING_CHARS - 1)}…` : w);
  if (warnings.length <= MAX_WARNINGS) return warnings.map(short);
  return [
    ...warnings.slice(0, MAX_WARNINGS - 1).map(short),
    `and ${warnings.length - MAX_WARNINGS + 1} more warnings not shown`,
  ];
}
