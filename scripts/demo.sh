#!/usr/bin/env bash
# npm run demo: build, start the local VVP emulator, and walk examples/pulumi-basic through its lifecycle with
# the real pulumi CLI on a file backend in a temp dir: create (CANCELLED) -> RUNNING -> savepoint -> destroy.
# Everything it starts is stopped and removed on exit. On a fresh machine the first run builds the pulumi CLI and
# its Node.js language host (bash scripts/tools.sh --only pulumi: the lean CLI of ADR 0012 unless npm test built the
# full one; a few minutes of Go build, in parallel with npm ci and tsc); set VVP_IAC_TOOLS_DIR to reuse a built bin
# directory. A TypeScript error stops the demo.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
say() { printf '\n== %s\n' "$*"; }
STARTED=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vvp-demo-XXXXXX")
TOOLS_PID=""
EMULATOR_PID=""
PROGRAM_ROOT=""
cleanup() {
  local code=$?
  # a failed build step leaves the Go build running in its own session: stop it
  if [ -n "$TOOLS_PID" ]; then kill -- "-$TOOLS_PID" 2>/dev/null || true; fi
  if [ -n "$EMULATOR_PID" ]; then kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
  rm -rf "$WORK" ${PROGRAM_ROOT:+"$PROGRAM_ROOT"}
  exit "$code"
}
trap cleanup EXIT INT TERM

if [ -z "${VVP_IAC_TOOLS_DIR:-}" ]; then
  say "pulumi CLI + Node.js language host: bash scripts/tools.sh --only pulumi (built on first use, in the background)"
  setsid bash scripts/tools.sh --only pulumi >"$WORK/tools.out" &
  TOOLS_PID=$!
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

say "building (tsc -> dist/)"
node node_modules/typescript/bin/tsc -p tsconfig.json ||
  { echo "the TypeScript build failed (errors above); fix them and run npm run demo again" >&2; exit 1; }

if [ -n "$TOOLS_PID" ]; then
  say "waiting for the pulumi tools (a cold Go build of the pulumi CLI takes a few minutes on 2 cores)"
  # a progress line every 10 s while the build runs ([tools] lines above say what it builds)
  while kill -0 "$TOOLS_PID" 2>/dev/null; do
    for _ in $(seq 1 20); do kill -0 "$TOOLS_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$TOOLS_PID" 2>/dev/null && echo "  ... still building the pulumi tools: $((SECONDS - STARTED)) s since the demo started"
  done
  wait "$TOOLS_PID" || { TOOLS_PID=""; echo "bash scripts/tools.sh --only pulumi failed (see above)" >&2; exit 1; }
  TOOLS_PID=""
  VVP_IAC_TOOLS_DIR=$(tail -n 1 "$WORK/tools.out")
fi
test -x "$VVP_IAC_TOOLS_DIR/pulumi" || { echo "no pulumi in $VVP_IAC_TOOLS_DIR" >&2; exit 1; }

# the program runs from inside the repository so that require('vvp-iac/pulumi') resolves to this package
mkdir -p "$REPO/.pulumi-test"
PROGRAM_ROOT=$(mktemp -d "$REPO/.pulumi-test/demo-XXXXXX")

TOKEN="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
# the example names deployment target `default`; a fresh VVP (and the emulator without the flag) has none
DEMO_PROFILE=vvp-3
say "starting the VVP emulator (profile $DEMO_PROFILE, deployment target default)"
node bin/vvp-emulator.js --port 0 --token "$TOKEN" --transition-delay-ms 300 \
  --profile "$DEMO_PROFILE" --default-target default >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$WORK/emulator.log" 2>/dev/null && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; exit 1; }
  sleep 0.1
done
VVP_URL=$(sed -n 's/^listening on //p' "$WORK/emulator.log" | head -n 1)
test -n "$VVP_URL" || { echo "the emulator did not start" >&2; cat "$WORK/emulator.log" >&2; exit 1; }
echo "VVP emulator at $VVP_URL ($(sed -n 's/^profile //p' "$WORK/emulator.log" | head -n 1))"

cp -R examples/pulumi-basic "$PROGRAM_ROOT/pulumi-basic"
cd "$PROGRAM_ROOT/pulumi-basic"
mkdir -p "$WORK/home" "$WORK/state"
export PATH="$VVP_IAC_TOOLS_DIR:$PATH" PULUMI_HOME="$WORK/home" PULUMI_BACKEND_URL="file://$WORK/state" \
  PULUMI_CONFIG_PASSPHRASE="vvp-iac-demo" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_DISABLE_REGISTRY_RESOLVE=true PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true PULUMI_SKIP_CONFIRMATIONS=true
P=(--non-interactive --color=never)

pulumi stack init demo --secrets-provider=passphrase "${P[@]}" >/dev/null
pulumi config set vvp:baseUrl "$VVP_URL" "${P[@]}"
printf '%s' "$TOKEN" | pulumi config set --secret vvp:apiToken "${P[@]}"

say "pulumi up: create the deployment (CANCELLED)"
pulumi up --yes --skip-preview "${P[@]}"

say "pulumi up: state RUNNING"
pulumi config set state RUNNING "${P[@]}"
pulumi up --yes --skip-preview "${P[@]}"

say "pulumi up: savepointNonce 1 (waits for the savepoint to complete)"
pulumi config set savepointNonce 1 "${P[@]}"
pulumi config set waitForSavepoint true "${P[@]}"
pulumi up --yes --skip-preview "${P[@]}"

say "stack outputs"
pulumi stack output --json "${P[@]}"

say "pulumi destroy (deletionPolicy cancel: set CANCELLED, wait, delete)"
pulumi destroy --yes --skip-preview "${P[@]}"
pulumi stack rm demo --yes "${P[@]}" >/dev/null

say "done in $((SECONDS - STARTED)) s"
