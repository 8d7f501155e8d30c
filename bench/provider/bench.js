#!/usr/bin/env node
'use strict';
// npm run bench:provider — `pulumi up` of N deployments from scratch, a no-op `pulumi up` and a destroy, against
// the in-process VVP emulator with the real pulumi CLI (file backend in a temp dir), beside the baseline: the same
// steps for N trivial dynamic resources with the same inputs (another stack of the same program). Prints wall times,
// the ratio vvp-iac / trivial per step (goal <= 1.2 for create and no-op), VVP requests per resource and their ratio
// to the fewest the contract allows. Usage: node bench/provider/bench.js [N] [ROUNDS]
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const COUNT = Number(process.argv[2] || process.env.BENCH_COUNT || 50);
const ROUNDS = Number(process.argv[3] || process.env.BENCH_ROUNDS || 1);
const GOAL = 1.2;
// per created deployment: look the name up (idempotent create), POST it, POST the "created" event (docs/contract.md §11)
const MIN_CREATE_REQUESTS = 3;

function toolsDir() {
  if (process.env.VVP_IAC_TOOLS_DIR) return process.env.VVP_IAC_TOOLS_DIR;
  const out = execFileSync('bash', [path.join(REPO, 'scripts', 'tools.sh')], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

function build() {
  if (fs.existsSync(path.join(REPO, 'dist', 'sdk', 'src', 'pulumi', 'index.js')) && !process.env.BENCH_REBUILD) return;
  spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: REPO,
    stdio: 'inherit',
  });
}

async function main() {
  build();
  const bin = toolsDir();
  const { startEmulator } = require(path.join(REPO, 'dist', 'emulator', 'src', 'index.js'));
  const token = `bench-${process.pid}-${Date.now()}`;
  // profile vvp-3 (the default, ADR 0009) with target `default`, which the bench program names
  const emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 20, token });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-bench-'));
  fs.mkdirSync(path.join(REPO, '.pulumi-test'), { recursive: true });
  const programRoot = fs.mkdtempSync(path.join(REPO, '.pulumi-test', 'bench-'));
  const program = path.join(programRoot, 'program');
  fs.cpSync(path.join(__dirname, 'program'), program, { recursive: true });
  fs.mkdirSync(path.join(work, 'home'));
  fs.mkdirSync(path.join(work, 'state'));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PULUMI_'))),
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(work, 'home'),
    PULUMI_BACKEND_URL: `file://${path.join(work, 'state')}`,
    PULUMI_CONFIG_PASSPHRASE: 'bench',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_DISABLE_REGISTRY_RESOLVE: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
  };
  // asynchronous: the emulator answers from this process's event loop
  const pulumi = (args, input) =>
    new Promise((resolve, reject) => {
      const child = spawn(path.join(bin, 'pulumi'), [...args, '--non-interactive', '--color=never'], {
        cwd: program,
        env,
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve(out)
          : reject(new Error(`pulumi ${args.join(' ')} failed (exit ${code}):\n${out.slice(-6000)}`)),
      );
      child.stdin.end(input ?? '');
    });
  const measure = async (label, args) => {
    const mark = emu.requests.length;
    const started = process.hrtime.bigint();
    await pulumi(args);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const requests = emu.requests.slice(mark);
    return { label, seconds, requests: requests.length, writes: requests.filter((r) => r.method !== 'GET').length };
  };
  const stack = async (name, kind) => {
    await pulumi(['stack', 'init', name, '--secrets-provider=passphrase']);
    await pulumi(['config', 'set', 'count', String(COUNT)]);
    await pulumi(['config', 'set', 'kind', kind]);
    await pulumi(['config', 'set', 'vvp:baseUrl', emu.url]);
    await pulumi(['config', 'set', '--secret', 'vvp:apiToken'], token);
  };
  const select = (name) => pulumi(['stack', 'select', name]);
  const up = ['up', '--yes', '--skip-preview'];
  try {
    await stack('trivial', 'trivial');
    await stack('bench', 'vvp');
    const rows = [];
    const ratios = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // alternate which side goes first, so a slower machine phase does not land on one side only
      const order = round % 2 ? ['bench', 'trivial'] : ['trivial', 'bench'];
      const r = {};
      for (const name of order) {
        await select(name);
        r[name] = { create: await measure(`create`, up) };
        if (name === 'bench') {
          const created = emu.store.listDeployments('default').filter((d) => d.metadata.name.startsWith('bench-'));
          if (created.length !== COUNT)
            throw new Error(`expected ${COUNT} deployments in VVP, found ${created.length}`);
        }
        r[name].noop = await measure('no-op', up);
        r[name].destroy = await measure('destroy', ['destroy', '--yes', '--skip-preview']);
      }
      for (const step of ['create', 'noop', 'destroy']) {
        const v = r.bench[step];
        const t = r.trivial[step];
        const ratio = v.seconds / t.seconds;
        ratios.push({ step, ratio });
        rows.push([
          `${round}`,
          step === 'noop' ? 'no-op up' : step === 'create' ? `up, ${COUNT} created` : `destroy ${COUNT}`,
          v.seconds.toFixed(1),
          t.seconds.toFixed(1),
          ratio.toFixed(2),
          (v.requests / COUNT).toFixed(2),
          step === 'create'
            ? (v.requests / (COUNT * MIN_CREATE_REQUESTS)).toFixed(2)
            : step === 'noop'
              ? v.requests === 0
                ? '1.00 (0 of 0)'
                : `${v.requests} over 0`
              : (v.requests / (COUNT * 2)).toFixed(2),
        ]);
      }
    }
    console.log(
      `\nprovider benchmark: ${COUNT} resources, ${ROUNDS} round(s), emulator transition delay 20 ms, ${os.cpus().length} CPUs`,
    );
    console.log(
      'baseline: the same program declaring N trivial dynamic resources with the same inputs (their provider echoes them)',
    );
    console.log(
      'minimum VVP requests per deployment: create 3 (lookup GET, POST, created event), no-op 0, destroy 2 (GET, DELETE)\n',
    );
    const head = ['round', 'step', 'vvp-iac s', 'trivial s', 'ratio', 'VVP req/resource', 'req ratio to minimum'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
    for (const row of [head, ...rows]) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  '));
    for (const step of ['create', 'noop']) {
      const best = Math.min(...ratios.filter((x) => x.step === step).map((x) => x.ratio));
      console.log(
        `best ratio ${step === 'noop' ? 'no-op up' : 'create'}: ${best.toFixed(2)} (goal <= ${GOAL}) ${best <= GOAL ? 'ok' : 'OVER'}`,
      );
    }
  } finally {
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(programRoot, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
