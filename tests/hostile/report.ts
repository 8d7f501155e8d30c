/**
 * The reliability table of the hostile-input and fault suites: each suite records one row per surface it
 * exercised; the row is printed at once and appended (one JSON line) to `$VVP_IAC_RELIABILITY_FILE` when set, so
 * `scripts/test.sh` can print the whole table after jest. Every "bad" column must be 0.
 */
import * as fs from 'node:fs';

/** One surface exercised by a hostile or fault suite. */
export interface ReliabilityRow {
  /** What was exercised, e.g. "webhook AdmissionReview (HTTPS)". */
  surface: string;
  /** Inputs or fault episodes sent. */
  cases: number;
  /** Processes that died. */
  crashes: number;
  /** 5xx answers to bad input (a 5xx that a fault injection asked for does not count). */
  serverErrors: number;
  /** Writes acknowledged with a 2xx that were later missing. */
  lostWrites: number;
  /** Secrets seen in any output, log, error or serialisation. */
  leaks: number;
  /** Rejections whose message named no field path. */
  unnamedRejections: number;
}

const COLUMNS: readonly (keyof ReliabilityRow)[] = [
  'surface',
  'cases',
  'crashes',
  'serverErrors',
  'lostWrites',
  'leaks',
  'unnamedRejections',
];
const HEADERS = ['surface', 'cases', 'crashes', '5xx', 'lost writes', 'leaks', 'unnamed rejections'];

/** The rows as a Markdown table. */
export function formatReliabilityTable(rows: readonly ReliabilityRow[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(COLUMNS.map((c) => row[c])))].join(
    '\n',
  );
}

/** The names of the bad columns that are not 0 in a row (empty when the row is clean). */
export function badColumns(row: ReliabilityRow): string[] {
  return COLUMNS.filter((c) => c !== 'surface' && c !== 'cases' && row[c] !== 0);
}

/** Prints the row and appends it to `$VVP_IAC_RELIABILITY_FILE` (if set). */
export function recordReliability(row: ReliabilityRow): void {
  process.stdout.write(`reliability: ${formatReliabilityTable([row]).split('\n')[2]}\n`);
  const file = process.env.VVP_IAC_RELIABILITY_FILE;
  if (file) fs.appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** Reads the rows recorded in a file written by recordReliability (malformed lines are skipped). */
export function readReliabilityFile(file: string): ReliabilityRow[] {
  if (!fs.existsSync(file)) return [];
  const rows: ReliabilityRow[] = [];
  for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      rows.push(JSON.parse(text) as ReliabilityRow);
    } catch {
      // a partial line from an interrupted worker: not a row
    }
  }
  return rows;
}
