#!/usr/bin/env node
'use strict';
// npm run bench:provider — `pulumi up` of N deployments from scratch, then a no-op `pulumi up`, against the
// in-process VVP emulator with the real pulumi CLI (file backend in a temp dir). Prints wall time, VVP requests
// per resource and the ratio to the fewest requests the contract allows. Usage: node bench/provider/bench.js [N]
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const COUNT = Number(process.argv[2] || process.env.BENCH_COUNT || 50);
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
  const emu = await startEmulator({ transitionDelayMs: 20, token });
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
  try {
    await pulumi(['stack', 'init', 'bench', '--secrets-provider=passphrase']);
    await pulumi(['config', 'set', 'count', String(COUNT)]);
    await pulumi(['config', 'set', 'vvp:baseUrl', emu.url]);
    await pulumi(['config', 'set', '--secret', 'vvp:apiToken'], token);
    const up = await measure(`pulumi up, ${COUNT} deployments from scratch`, ['up', '--yes', '--skip-preview']);
    const created = emu.store.listDeployments('default').filter((d) => d.metadata.name.startsWith('bench-')).length;
    if (created !== COUNT) throw new Error(`expected ${COUNT} deployments in VVP, found ${created}`);
    const noop = await measure('pulumi up, no changes', ['up', '--yes', '--skip-preview']);
    const destroy = await measure(`pulumi destroy, ${COUNT} deployments`, ['destroy', '--yes', '--skip-preview']);
    const rows = [
      [
        up.label,
        up.seconds.toFixed(1),
        up.requests,
        (up.requests / COUNT).toFixed(2),
        (up.requests / (COUNT * MIN_CREATE_REQUESTS)).toFixed(2),
      ],
      [
        noop.label,
        noop.seconds.toFixed(1),
        noop.requests,
        (noop.requests / COUNT).toFixed(2),
        noop.requests === 0 ? '1.00 (0 of 0)' : `${noop.requests} over 0`,
      ],
      [
        destroy.label,
        destroy.seconds.toFixed(1),
        destroy.requests,
        (destroy.requests / COUNT).toFixed(2),
        (destroy.requests / (COUNT * 2)).toFixed(2),
      ],
    ];
    console.log(
      `\nprovider benchmark: ${COUNT} deployments, emulator transition delay 20 ms, ${os.cpus().length} CPUs`,
    );
    console.log(
      'minimum requests per deployment: create 3 (lookup GET, POST, created event), no-op 0, destroy 2 (GET, DELETE)\n',
    );
    const head = ['step', 'wall s', 'VVP requests', 'per resource', 'ratio to minimum'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
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
