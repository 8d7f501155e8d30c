#!/usr/bin/env node
'use strict';
// npm run bench:native — the native provider against the dynamic one in one run: `pulumi up` of N deployments from
// scratch and a no-op `pulumi up`, each provider with its own stack, the same definitions (bench/native/program
// and bench/provider/program), the in-process VVP emulator and the real pulumi CLI (file backend in a temp dir).
// Prints wall times and the ratio native / dynamic (goal: ≤ 1). Usage: node bench/native/bench.js [N]
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const COUNT = Number(process.argv[2] || process.env.BENCH_COUNT || 50);

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
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(path.join(REPO, 'dist', 'provider', 'src', 'native', 'main.js')) || process.env.BENCH_REBUILD) {
    spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  }
  if (!fs.existsSync(path.join(REPO, 'sdks', 'nodejs', 'bin', 'index.js')) || process.env.BENCH_REBUILD) {
    spawnSync(process.execPath, [path.join(REPO, 'scripts', 'native-sdks.js'), '--build'], {
      cwd: REPO,
      stdio: 'inherit',
    });
  }
}

/** A stack of one program copy: runs pulumi commands and measures them against the emulator's request log. */
function stackOf(name, source, bin, work, emu) {
  const program = path.join(work.programs, name);
  fs.cpSync(source, program, { recursive: true });
  const yamlFile = path.join(program, 'Pulumi.yaml');
  fs.writeFileSync(
    yamlFile,
    fs.readFileSync(yamlFile, 'utf8').replace(/path: \S+bin/, `path: ${path.join(REPO, 'bin')}`),
  );
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PULUMI_'))),
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(work.dir, 'home'),
    PULUMI_BACKEND_URL: `file://${path.join(work.dir, 'state')}`,
    PULUMI_CONFIG_PASSPHRASE: 'bench',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_DISABLE_REGISTRY_RESOLVE: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
  };
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
          : reject(new Error(`${name}: pulumi ${args.join(' ')} failed (exit ${code}):\n${out.slice(-6000)}`)),
      );
      child.stdin.end(input ?? '');
    });
  const measure = async (args) => {
    const mark = emu.requests.length;
    const started = process.hrtime.bigint();
    await pulumi(args);
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, requests: emu.requests.length - mark };
  };
  return { pulumi, measure };
}

async function main() {
  build();
  const bin = toolsDir();
  const { startEmulator } = require(path.join(REPO, 'dist', 'emulator', 'src', 'index.js'));
  const token = `bench-${process.pid}-${Date.now()}`;
  // profile vvp-3 (the default, ADR 0009) with target `default`, which the bench program names
  const emu = await startEmulator({ profile: 'vvp-3', defaultTarget: 'default', transitionDelayMs: 20, token });
  fs.mkdirSync(path.join(REPO, '.pulumi-test'), { recursive: true });
  const work = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-bench-native-')) };
  work.programs = fs.mkdtempSync(path.join(REPO, '.pulumi-test', 'bench-native-'));
  fs.mkdirSync(path.join(work.dir, 'home'));
  fs.mkdirSync(path.join(work.dir, 'state'));
  const results = {};
  try {
    for (const [name, source] of [
      ['dynamic', path.join(REPO, 'bench', 'provider', 'program')],
      ['native', path.join(__dirname, 'program')],
    ]) {
      const s = stackOf(name, source, bin, work, emu);
      await s.pulumi(['stack', 'init', name, '--secrets-provider=passphrase']);
      await s.pulumi(['config', 'set', 'count', String(COUNT)]);
      await s.pulumi(['config', 'set', 'vvp:baseUrl', emu.url]);
      await s.pulumi(['config', 'set', '--secret', 'vvp:apiToken'], token);
      const up = await s.measure(['up', '--yes', '--skip-preview']);
      const created = emu.store.listDeployments('default').filter((d) => d.metadata.name.startsWith('bench-')).length;
      if (created !== COUNT) throw new Error(`${name}: expected ${COUNT} deployments in VVP, found ${created}`);
      const noop = await s.measure(['up', '--yes', '--skip-preview']);
      await s.pulumi(['destroy', '--yes', '--skip-preview']);
      results[name] = { up, noop };
    }
    const { dynamic, native } = results;
    const rows = [
      [`pulumi up, ${COUNT} deployments`, dynamic.up, native.up],
      ['pulumi up, no changes', dynamic.noop, native.noop],
    ].map(([label, d, n]) => [
      label,
      d.seconds.toFixed(1),
      n.seconds.toFixed(1),
      (n.seconds / d.seconds).toFixed(2),
      `${d.requests} / ${n.requests}`,
    ]);
    console.log(
      `\nnative vs dynamic provider: ${COUNT} deployments, emulator transition delay 20 ms, ${os.cpus().length} CPUs\n`,
    );
    const head = ['step', 'dynamic s', 'native s', 'ratio native/dynamic', 'VVP requests dynamic / native'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
    for (const [label, d, n] of [
      ['create', dynamic.up, native.up],
      ['no-op up', dynamic.noop, native.noop],
    ]) {
      const ratio = n.seconds / d.seconds;
      console.log(`ratio native/dynamic, ${label}: ${ratio.toFixed(2)} (goal <= 1) ${ratio <= 1 ? 'ok' : 'OVER'}`);
    }
  } finally {
    await emu.stop();
    fs.rmSync(work.dir, { recursive: true, force: true });
    fs.rmSync(work.programs, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
