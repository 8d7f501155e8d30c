/**
 * A fast smoke of the benchmark scripts that need no external tools (tiny N): each runs to the end against its
 * baseline and prints the figures and the ratio. The full runs are `npm run bench:*`, not part of `npm test`.
 */
import * as path from 'node:path';
import { run } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';
import { ensureBuilt } from './provider-support';

jest.setTimeout(120_000);

beforeAll(async () => {
  await ensureBuilt();
});

it('bench/cdk8s prints VvpDeployment and raw ApiObject times and their ratio', async () => {
  const res = await run(
    process.execPath,
    ['--expose-gc', path.join(REPO_ROOT, 'bench', 'cdk8s', 'synth.js'), '--count', '20', '--runs', '1'],
    { cwd: REPO_ROOT },
  );
  expect(res.stdout).toMatch(/cdk8s synth of 20 objects, 1 runs per side/);
  expect(res.stdout).toMatch(/raw ApiObject \(baseline\) run 1: construct \d+ ms/);
  expect(res.stdout).toMatch(/VvpDeployment \(validated\) run 1: .* total \d+ ms, CPU \d+ ms/);
  expect(res.stdout).toMatch(
    /ratio CPU VvpDeployment \/ raw ApiObject: \d+\.\d\d median of rounds, quartiles \d+\.\d\d–\d+\.\d\d, range \d+\.\d\d–\d+\.\d\d, \d+\.\d\d best, \d+\.\d\d median \(goal <= 1\.3\) (ok|OVER)/,
  );
  expect(res.stdout).toMatch(/ratio wall VvpDeployment \/ raw ApiObject: \d+\.\d\d median of rounds, quartiles/);
});

it('bench/emulator prints GET/s and PATCH/s of the emulator and of the bare server, with ratios', async () => {
  const res = await run(
    process.execPath,
    [path.join(REPO_ROOT, 'bench', 'emulator', 'bench.js'), '--seconds', '0.3', '--deployments', '3'],
    { cwd: REPO_ROOT },
  );
  expect(res.stdout).toMatch(
    /GET deployment: +emulator \d+\/s, bare node:http \d+\/s, ratio \d+\.\d\d \(goal >= 2000\/s\)/,
  );
  expect(res.stdout).toMatch(/PATCH deployment: emulator \d+\/s, bare node:http \d+\/s, ratio \d+\.\d\d/);
});

it('npm run bench (bench/all.js) runs the chosen benchmarks and ends with their verdicts; a bad name is refused', async () => {
  const res = await run(process.execPath, [path.join(REPO_ROOT, 'bench', 'all.js'), '--only', 'emulator'], {
    cwd: REPO_ROOT,
  });
  expect(res.stdout).toContain('== bench emulator:');
  expect(res.stdout).toMatch(
    /== summary \(\d+ s\)\nemulator: GET deployment: +emulator \d+\/s, bare node:http \d+\/s, ratio \d+\.\d\d \(goal >= 2000\/s\) (ok|UNDER)\n$/,
  );
  const bad = await run(process.execPath, [path.join(REPO_ROOT, 'bench', 'all.js'), '--only', 'emulator,nope'], {
    cwd: REPO_ROOT,
    allowFailure: true,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('bench/all.js: unknown benchmark nope');
  expect(bad.stderr).toContain('usage: node bench/all.js [--only emulator,cdk8s,provider,native,operator]');
});
