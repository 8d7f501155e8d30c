#!/usr/bin/env node
/*
 * Stages the operator application for the container image: the compiled files the operator really loads (the
 * require() closure of dist/operator/src/main.js), bin/vvp-operator.js, a trimmed package.json, and node_modules
 * holding only the production packages that closure needs (their own dependency closure, copied from the
 * installed node_modules, i.e. the versions package-lock.json pins). Types, source maps, TypeScript sources and
 * Markdown (except licences) are left out. Needs the compiled package (`npm run build`).
 *   node scripts/image-app.js OUTDIR     writes OUTDIR/{package.json,bin,dist,node_modules}
 * Prints a JSON summary (files, bytes, packages) on stdout.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const root = path.resolve(__dirname, '..');
const BUILTINS = new Set(builtinModules);
/** Files of a package that are never needed at run time. */
const SKIP_FILE = /(\.d\.[cm]?ts|\.[cm]?ts|\.map|\.md|\.markdown|\.tsbuildinfo)$/i;
const KEEP_FILE = /^(licen[cs]e|notice|copying)/i;
const SKIP_DIR = new Set(['.github', 'node_modules']);

/** Bare and relative specifiers of require("...") calls in compiled CommonJS. */
function requiresOf(file) {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
}

/** Resolves a relative require of compiled code to its file. */
function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`image-app: ${path.relative(root, from)} requires ${spec}, which is not built; run npm run build`);
}

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The compiled files reachable from the entry, and the packages they require. */
function appClosure(entry) {
  const files = new Set();
  const packages = new Set();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop();
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of requiresOf(file)) {
      if (spec.startsWith('.')) queue.push(resolveRelative(file, spec));
      else if (!spec.startsWith('node:') && !BUILTINS.has(spec)) packages.add(packageName(spec));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/** Node's lookup of package `name` from directory `dir` (nearest node_modules upwards, within the repo). */
function findPackage(name, dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (d === root || path.dirname(d) === d) return undefined;
  }
}

/** Installed package directories needed by `names`, following dependencies and installed optional/peer ones. */
function packageClosure(names) {
  const dirs = new Set();
  const queue = names.map((name) => ({ name, from: root, required: true }));
  while (queue.length) {
    const { name, from, required } = queue.pop();
    const dir = findPackage(name, from);
    if (!dir) {
      if (required)
        throw new Error(
          `image-app: package ${name} (needed from ${path.relative(root, from) || '.'}) is not installed; run npm ci`,
        );
      continue;
    }
    if (dirs.has(dir)) continue;
    dirs.add(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: dir, required: true });
    for (const dep of Object.keys({ ...manifest.optionalDependencies, ...manifest.peerDependencies }))
      queue.push({ name: dep, from: dir, required: false });
  }
  return [...dirs].sort();
}

/** Copies one package's files (not its nested node_modules, which are packages of their own). */
function copyPackage(src, dest, stats) {
  for (const entry of fs.readdirSync(src, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.has(entry.name)) copyPackage(from, to, stats);
    } else if (entry.isFile() && (KEEP_FILE.test(entry.name) || !SKIP_FILE.test(entry.name))) {
      copyFile(from, to, stats);
    } else if (entry.isSymbolicLink()) {
      fs.mkdirSync(dest, { recursive: true });
      fs.symlinkSync(fs.readlinkSync(from), to);
    }
  }
}

function copyFile(from, to, stats) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  // Only the executable bit is kept; tar normalizes the rest.
  fs.chmodSync(to, fs.statSync(from).mode & 0o111 ? 0o755 : 0o644);
  stats.files++;
  stats.bytes += fs.statSync(to).size;
}

function stageApp(out) {
  const entry = path.join(root, 'dist', 'operator', 'src', 'main.js');
  if (!fs.existsSync(entry)) throw new Error('image-app: dist/operator/src/main.js is missing; run npm run build');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const app = appClosure(entry);
  // the operator's platform library (@kubernetes/client-node) is an optional peer of the package (ADR 0005): the
  // image is the one place that installs it, so a peer counts like a dependency here
  const declared = { ...pkg.peerDependencies, ...pkg.dependencies };
  for (const name of app.packages) {
    if (!declared[name])
      throw new Error(
        `image-app: the operator requires ${name}, which package.json declares neither as a dependency nor as a peer`,
      );
  }
  fs.rmSync(out, { recursive: true, force: true });
  const stats = { files: 0, bytes: 0, packages: 0 };
  for (const file of app.files) copyFile(file, path.join(out, path.relative(root, file)), stats);
  copyFile(path.join(root, 'bin', 'vvp-operator.js'), path.join(out, 'bin', 'vvp-operator.js'), stats);
  const dependencies = Object.fromEntries(app.packages.map((name) => [name, declared[name]]));
  const trimmed = { name: pkg.name, version: pkg.version, license: pkg.license, private: true, dependencies };
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(trimmed, null, 2)}\n`);
  for (const dir of packageClosure(app.packages)) {
    copyPackage(dir, path.join(out, path.relative(root, dir)), stats);
    stats.packages++;
  }
  return { ...stats, requires: app.packages };
}

module.exports = { stageApp, appClosure, packageClosure };

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/image-app.js OUTDIR');
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(stageApp(path.resolve(out))));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
