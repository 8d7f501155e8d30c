#!/usr/bin/env bash
# Packs the native vvp provider as a Pulumi plugin tarball:
#   pulumi-resource-vvp-v<version>-linux-amd64.tar.gz   (version from package.json)
# holding the plugin executable `pulumi-resource-vvp` at its root, the built provider (dist/ of core, vvp-client
# and provider), package.json, schema.json and the production node_modules (copied from this checkout; no
# network). It needs `node` on the PATH of `pulumi` (the plugin is a Node.js program). Install it with
#   pulumi plugin install resource vvp <version> -f pulumi-resource-vvp-v<version>-linux-amd64.tar.gz
#
# Usage: bash scripts/pack-plugin.sh [--out <dir>] [--no-build]
#   --out       where the tarball goes (default: the repository root); the last stdout line is its path
#   --no-build  use dist/ as it is (default: build it with tsc first)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack-plugin.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf '[pack-plugin] %s\n' "$*" >&2; }

cd "$REPO"
VERSION=$(node -p "require('./package.json').version")
TARBALL="$OUT/pulumi-resource-vvp-v$VERSION-linux-amd64.tar.gz"
[ -d node_modules ] || { echo "pack-plugin.sh: node_modules is missing; run npm ci" >&2; exit 1; }
if [ "$BUILD" = 1 ]; then
  log "building dist/ (tsc)"
  npx tsc -p tsconfig.json >&2
fi
[ -f dist/provider/src/native/main.js ] || { echo "pack-plugin.sh: dist/ is missing; run npm run build" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/dist" "$STAGE/bin"
cp -r dist/core dist/vvp-client dist/provider "$STAGE/dist/"
cp package.json schema.json "$STAGE/"
cp bin/pulumi-resource-vvp.js "$STAGE/bin/"
cat >"$STAGE/pulumi-resource-vvp" <<'EOF'
#!/bin/sh
# The native vvp Pulumi provider plugin (a Node.js program; needs node on PATH).
exec node "$(dirname "$(readlink -f "$0")")/bin/pulumi-resource-vvp.js" "$@"
EOF
chmod 0755 "$STAGE/pulumi-resource-vvp" "$STAGE/bin/pulumi-resource-vvp.js"

# the runtime closure of the native provider, as npm resolved it in this checkout: its direct imports and their
# dependencies; of @pulumi/pulumi only the package itself (the provider loads its proto/ stubs, nothing else)
log "copying the provider's node_modules"
node - "$STAGE" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const stage = process.argv[2];
const seen = new Set();
function dirOf(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (dir === path.dirname(dir)) throw new Error(`pack-plugin: cannot resolve ${name} from ${from}`);
  }
}
function add(name, from, withDeps) {
  const dir = dirOf(name, from);
  if (seen.has(dir)) return;
  seen.add(dir);
  if (!withDeps) return;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    try { add(dep, dir, true); } catch (err) { if (!(pkg.optionalDependencies || {})[dep]) throw err; }
  }
}
const root = process.cwd();
for (const name of ['@grpc/grpc-js', 'google-protobuf', 'ajv', 'axios']) add(name, root, true);
add('@pulumi/pulumi', root, false);
for (const dir of seen) {
  const rel = path.relative(root, dir);
  fs.cpSync(dir, path.join(stage, rel), { recursive: true, dereference: true, filter: (src) => !(src !== dir && path.basename(src) === 'node_modules' && path.dirname(src) === dir) });
}
process.stderr.write(`[pack-plugin] ${seen.size} packages\n`);
JS

log "writing $(basename "$TARBALL")"
tar -C "$STAGE" -czf "$TARBALL.tmp" .
mv -f "$TARBALL.tmp" "$TARBALL"
log "$(du -h "$TARBALL" | cut -f1) ($(du -sh "$STAGE" | cut -f1) unpacked)"
echo "$TARBALL"
