#!/usr/bin/env node
/*
 * The SDKs of the native vvp provider, generated from schema.json:
 *   sdks/schema.json   the Pulumi package schema the provider serves (provider/src/native/package-schema.ts)
 *   sdks/nodejs        TypeScript SDK (@vvp-iac/vvp; `vvp-iac/native` once built)
 *   sdks/python        Python SDK (pulumi_vvp)
 *   sdks/go            Go SDK (example.invalid/vvp-iac/sdks/go/vvp; go.mod and go.sum there are kept)
 * by tools/codegen (pulumi pkg/v3 code generators), built by scripts/native-tools.sh.
 *
 * Usage: node scripts/native-sdks.js [--check]   regenerate (or, with --check, exit 1 when a file is stale)
 *        node scripts/native-sdks.js --build      compile sdks/nodejs into sdks/nodejs/bin (what `vvp-iac/native` loads)
 * Needs dist/ (npm run build). VVP_IAC_NATIVE_TOOLS_DIR names the tools' bin directory (else native-tools.sh runs).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const SDKS = path.join(root, 'sdks');
const LANGUAGES = ['nodejs', 'python', 'go'];
/** Files in sdks/<lang> that are not generated (kept by a regeneration, ignored by the check). */
const KEEP = [
  /^go\.(mod|sum)$/,
  /^\.npmignore$/,
  /^bin(\/|$)/,
  /^node_modules(\/|$)/,
  /(^|\/)__pycache__(\/|$)/,
  /\.egg-info(\/|$)/,
];

function fail(message) {
  process.stderr.write(`native-sdks: ${message}\n`);
  process.exit(1);
}

function files(dir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (KEEP.some((re) => re.test(rel))) return [];
    return e.isDirectory() ? files(path.join(dir, e.name), rel) : [rel];
  });
}

function packageSchemaText() {
  const module = path.join(root, 'dist', 'provider', 'src', 'native', 'package-schema.js');
  if (!fs.existsSync(module)) fail(`${path.relative(root, module)} is missing; run \`npm run build\` first`);
  return require(module).loadPackageSchema(root).schema;
}

function codegen() {
  let dir = process.env.VVP_IAC_NATIVE_TOOLS_DIR;
  if (!dir) {
    const out = execFileSync('bash', [path.join(root, 'scripts', 'native-tools.sh'), '--only', 'codegen'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    dir = out.trim().split('\n').pop();
  }
  const bin = path.join(dir, 'vvp-codegen');
  if (!fs.existsSync(bin)) fail(`${bin} is missing; run \`bash scripts/native-tools.sh\``);
  return bin;
}

/** Generates everything into a temp directory; returns it. */
function generateAll() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-sdks-'));
  fs.writeFileSync(path.join(tmp, 'schema.json'), packageSchemaText());
  const bin = codegen();
  for (const lang of LANGUAGES) {
    execFileSync(bin, [lang, path.join(tmp, 'schema.json'), path.join(tmp, lang)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return tmp;
}

function compare(tmp) {
  const stale = [];
  const want = new Set(['schema.json', ...LANGUAGES.flatMap((l) => files(path.join(tmp, l)).map((f) => `${l}/${f}`))]);
  const have = new Set(['schema.json', ...LANGUAGES.flatMap((l) => files(path.join(SDKS, l)).map((f) => `${l}/${f}`))]);
  for (const f of want) {
    const a = path.join(tmp, f);
    const b = path.join(SDKS, f);
    if (!fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b))) stale.push(`sdks/${f}`);
  }
  for (const f of have) if (!want.has(f)) stale.push(`sdks/${f} (no longer generated)`);
  return stale;
}

function write(tmp) {
  fs.mkdirSync(SDKS, { recursive: true });
  fs.copyFileSync(path.join(tmp, 'schema.json'), path.join(SDKS, 'schema.json'));
  for (const lang of LANGUAGES) {
    for (const f of files(path.join(SDKS, lang))) fs.rmSync(path.join(SDKS, lang, f));
    for (const f of files(path.join(tmp, lang))) {
      fs.mkdirSync(path.dirname(path.join(SDKS, lang, f)), { recursive: true });
      fs.copyFileSync(path.join(tmp, lang, f), path.join(SDKS, lang, f));
    }
  }
}

function buildNodejs() {
  const dir = path.join(SDKS, 'nodejs');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // the generated .ts files are not shipped: the maps carry their sources, and no declaration maps point at them
  execFileSync(
    process.execPath,
    [tsc, '-p', path.join(dir, 'tsconfig.json'), '--inlineSources', '--declarationMap', 'false'],
    { stdio: 'inherit' },
  );
  // the SDK reads its version from the package.json next to its code
  fs.copyFileSync(path.join(dir, 'package.json'), path.join(dir, 'bin', 'package.json'));
}

const args = process.argv.slice(2);
if (args.includes('--build')) {
  buildNodejs();
} else {
  const tmp = generateAll();
  try {
    if (args.includes('--check')) {
      const stale = compare(tmp);
      if (stale.length > 0) fail(`stale (run \`node scripts/native-sdks.js\`):\n  ${stale.join('\n  ')}`);
      process.stdout.write('native SDKs match schema.json\n');
    } else {
      write(tmp);
      process.stdout.write(`wrote sdks/ (schema.json, ${LANGUAGES.join(', ')})\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
