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

// the table's columns, its Markdown form and the file format live once, in scripts/reliability-table.js
// eslint-disable-next-line @typescript-eslint/no-require-imports
const table = require('../../scripts/reliability-table.js') as {
  formatReliabilityTable(rows: readonly ReliabilityRow[]): string;
  badColumns(row: ReliabilityRow): string[];
  readReliabilityFile(file: string): ReliabilityRow[];
};

/** The rows as a Markdown table. */
export const formatReliabilityTable = table.formatReliabilityTable;
/** The names of the bad columns that are not 0 in a row (empty when the row is clean). */
export const badColumns = table.badColumns;
/** Reads the rows recorded in a file written by recordReliability (malformed lines are skipped). */
export const readReliabilityFile = table.readReliabilityFile;

/** Prints the row and appends it to `$VVP_IAC_RELIABILITY_FILE` (if set). */
export function recordReliability(row: ReliabilityRow): void {
  process.stdout.write(`reliability: ${formatReliabilityTable([row]).split('\n')[2]}\n`);
  const file = process.env.VVP_IAC_RELIABILITY_FILE;
  if (file) fs.appendFileSync(file, `${JSON.stringify(row)}\n`);
}
