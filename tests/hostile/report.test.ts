import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  badColumns,
  formatReliabilityTable,
  readReliabilityFile,
  recordReliability,
  type ReliabilityRow,
} from './report';

const clean: ReliabilityRow = {
  surface: 'x',
  cases: 10,
  crashes: 0,
  serverErrors: 0,
  lostWrites: 0,
  leaks: 0,
  unnamedRejections: 0,
};

describe('reliability report', () => {
  it('names every bad column that is not zero, and none for a clean row', () => {
    expect(badColumns(clean)).toEqual([]);
    expect(badColumns({ ...clean, crashes: 1, leaks: 2 })).toEqual(['crashes', 'leaks']);
  });

  it('formats a Markdown table with one line per row', () => {
    const table = formatReliabilityTable([clean, { ...clean, surface: 'y', serverErrors: 3 }]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('5xx');
    expect(lines[3]).toBe('| y | 10 | 0 | 3 | 0 | 0 | 0 |');
  });

  it('appends rows to $VVP_IAC_RELIABILITY_FILE and reads them back, skipping a partial line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rel-')), 'rows.jsonl');
    const saved = process.env.VVP_IAC_RELIABILITY_FILE;
    process.env.VVP_IAC_RELIABILITY_FILE = file;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      recordReliability(clean);
      recordReliability({ ...clean, surface: 'z' });
      fs.appendFileSync(file, '{"surface":"trunc');
    } finally {
      write.mockRestore();
      if (saved === undefined) delete process.env.VVP_IAC_RELIABILITY_FILE;
      else process.env.VVP_IAC_RELIABILITY_FILE = saved;
    }
    expect(readReliabilityFile(file).map((r) => r.surface)).toEqual(['x', 'z']);
  });
});
