#!/usr/bin/env node
'use strict';
// npm run bench — every benchmark in one run, each beside its baseline measured in the same run, then one summary
// of the verdict lines, one per goal: "(goal ...) ok", OVER or UNDER. The benchmarks: emulator GET/s and PATCH/s
// against a bare node:http server; cdk8s synth against raw ApiObjects; the dynamic provider against trivial dynamic
// resources; the native provider against the dynamic one; the operator against a no-op controller (real
// kube-apiserver, a few minutes). Usage: node bench/all.js [--only name,name] (names: emulator, cdk8s, provider,
// native, operator). Each benchmark's own knobs (README, bench/*) apply; the exit code is 1 only when one fails to
// run, not when a goal is missed (the summary says so).
const { spawn } = require('node:child_process');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const BENCHES = [
  ['emulator', [process.execPath, path.join(__dirname, 'emulator', 'bench.js')]],
  ['cdk8s', [process.execPath, '--expose-gc', path.join(__dirname, 'cdk8s', 'synth.js')]],
  ['provider', [process.execPath, path.join(__dirname, 'provider', 'bench.js'), '50', '2']],
  ['native', [process.execPath, path.join(__dirname, 'native', 'bench.js')]],
  [
    'operator',
    [
      process.execPath,
      path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      path.join(__dirname, 'operator', 'jest.config.js'),
      '--runInBand',
    ],
  ],
];

function usage(message) {
  process.stderr.write(
    `${message ? `bench/all.js: ${message}\n` : ''}usage: node bench/all.js [--only ${BENCHES.map(([n]) => n).join(',')}]\n`,
  );
  process.exit(2);
}

function selected(argv) {
  if (argv.length === 0) return BENCHES;
  if (argv[0] === '-h' || argv[0] === '--help') usage();
  if (argv[0] !== '--only' || argv.length !== 2) usage(`unknown arguments: ${argv.join(' ')}`);
  const names = argv[1].split(',');
  const unknown = names.filter((n) => !BENCHES.some(([b]) => b === n));
  if (unknown.length) usage(`unknown benchmark ${unknown.join(', ')}`);
  return BENCHES.filter(([n]) => names.includes(n));
}

/** Runs one benchmark with its output shown as it comes; resolves with its exit code and its verdict lines. */
function runOne(name, [file, ...args]) {
  return new Promise((resolve) => {
    process.stdout.write(
      `\n== bench ${name}: ${[path.basename(file), ...args.map((a) => path.relative(REPO, a) || a)].join(' ')}\n`,
    );
    const child = spawn(file, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const verdicts = [];
    let partial = '';
    const take = (chunk, to) => {
      to.write(chunk);
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (/\(goal [^)]*\)\s*(ok|OVER|UNDER)/.test(line)) verdicts.push(line.trim());
    };
    child.stdout.on('data', (c) => take(c, process.stdout));
    child.stderr.on('data', (c) => take(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, verdicts }));
  });
}

async function main() {
  const started = Date.now();
  const summary = [];
  let failed = 0;
  for (const [name, command] of selected(process.argv.slice(2))) {
    const { code, verdicts } = await runOne(name, command);
    if (code !== 0) failed++;
    summary.push([name, code, verdicts]);
  }
  const lines = ['', `== summary (${Math.round((Date.now() - started) / 1000)} s)`];
  for (const [name, code, verdicts] of summary) {
    if (code !== 0) lines.push(`${name}: FAILED to run (exit ${code}; output above)`);
    for (const v of verdicts) lines.push(`${name}: ${v}`);
    if (code === 0 && verdicts.length === 0) lines.push(`${name}: no verdict line printed`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = failed ? 1 : 0;
}

main();
