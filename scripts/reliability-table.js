#!/usr/bin/env node
/**
 * The reliability table of the hostile-input and fault suites, in one place: its columns, its Markdown form and the
 * JSON-lines file the suites append to (tests/hostile/report.ts). `node scripts/reliability-table.js FILE` prints
 * the table of a file; scripts/test.sh does so after jest.
 */
'use strict';
const fs = require('node:fs');

const COLUMNS = ['surface', 'cases', 'crashes', 'serverErrors', 'lostWrites', 'leaks', 'unnamedRejections'];
const HEADERS = ['surface', 'cases', 'crashes', '5xx', 'lost writes', 'leaks', 'unnamed rejections'];

/** The rows as a Markdown table. */
function formatReliabilityTable(rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(COLUMNS.map((c) => row[c])))].join(
    '\n',
  );
}

/** The names of the bad columns that are not 0 in a row (empty when the row is clean). */
function badColumns(row) {
  return COLUMNS.filter((c) => c !== 'surface' && c !== 'cases' && row[c] !== 0);
}

/** The rows recorded in a file (malformed lines, e.g. from an interrupted worker, are skipped). */
function readReliabilityFile(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((text) => text.trim())
    .flatMap((text) => {
      try {
        return [JSON.parse(text)];
      } catch {
        return [];
      }
    });
}

module.exports = { formatReliabilityTable, badColumns, readReliabilityFile };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node scripts/reliability-table.js FILE\n');
    process.exit(2);
  }
  process.stdout.write(`${formatReliabilityTable(readReliabilityFile(file))}\n`);
}
