#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, checks generated files, builds, lints,
# builds the Go test tools when needed (cached), then runs every jest suite (unit and e2e against real
# components) and ends with one line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
checks_failed=0
checks_passed=0
check() {
  local name=$1; shift
  step "$name"
  local t0=$SECONDS
  if "$@"; then checks_passed=$((checks_passed + 1)); echo "ok: $name ($((SECONDS - t0)) s)"
  else checks_failed=$((checks_failed + 1)); echo "FAILED: $name ($((SECONDS - t0)) s)"; fi
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (node_modules missing or older than package-lock.json)"
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

check "generated files match schema.json" node scripts/generate.js --check
check "typescript build" npx tsc -p tsconfig.json
check "deploy/ and the Helm chart match the VvpOperator construct" node scripts/synth-deploy.js --check
check "native provider nodejs SDK build (sdks/nodejs/bin, loaded as vvp-iac/native)" node scripts/native-sdks.js --build
check "typecheck of tests, examples and benchmarks" npx tsc -p tsconfig.lint.json
check "lint and import boundaries" npx eslint .
check "formatting (prettier; fix with npm run format)" npx prettier --check --log-level warn "**/*.{ts,js,mjs}"

step "test tools (etcd, kube-apiserver, kubectl, pulumi, pulumi-resource-kubernetes): built from Go modules on first use, then cached"
tools_out=$(bash scripts/tools.sh --with-kubernetes-provider | tail -n 1)
if [ -d "$tools_out" ]; then
  export VVP_IAC_TOOLS_DIR="$tools_out"
  checks_passed=$((checks_passed + 1))
else
  echo "FAILED: scripts/tools.sh did not print a tools directory"
  checks_failed=$((checks_failed + 1))
fi

step "the demo's lean pulumi tools (scripts/tools.sh --only pulumi --lean, ADR 0012; cached), for tests/e2e/demo"
lean_out=$(bash scripts/tools.sh --only pulumi --lean | tail -n 1)
if [ -d "$lean_out" ]; then
  export VVP_IAC_LEAN_TOOLS_DIR="$lean_out"
  checks_passed=$((checks_passed + 1))
else
  echo "FAILED: scripts/tools.sh --only pulumi --lean did not print a tools directory"
  checks_failed=$((checks_failed + 1))
fi

step "distribution tools (helm, argocd-lua-health from Go modules, cached) and image tools (umoci, skopeo, crun)"
gitops_out=$(bash scripts/tools-gitops.sh | tail -n 1)
if [ -d "$gitops_out" ] && bash scripts/image-tools.sh; then
  export VVP_IAC_GITOPS_TOOLS_DIR="$gitops_out"
  checks_passed=$((checks_passed + 1))
else
  echo "FAILED: scripts/tools-gitops.sh or scripts/image-tools.sh"
  checks_failed=$((checks_failed + 1))
fi
step "native provider tools (vvp-codegen, pulumi-language-yaml, Python and Go hosts; cached) and the Python venv"
native_out=$(bash scripts/native-tools.sh | tail -n 1)
venv_out=$(bash scripts/native-python-venv.sh | tail -n 1)
if [ -d "$native_out" ] && [ -d "$venv_out" ]; then
  export VVP_IAC_NATIVE_TOOLS_DIR="$native_out" VVP_IAC_NATIVE_PYTHON_VENV="$venv_out"
  checks_passed=$((checks_passed + 1))
else
  echo "FAILED: scripts/native-tools.sh or scripts/native-python-venv.sh did not print a directory"
  checks_failed=$((checks_failed + 1))
fi
check "native provider SDKs match schema.json (sdks/)" node scripts/native-sdks.js --check

step "jest (unit + e2e)"
results=$(mktemp)
reliability=$(mktemp)
export VVP_IAC_RELIABILITY_FILE="$reliability"
npx jest --ci --json --outputFile="$results" "$@"
jest_rc=$?

summary=$(node -e '
  const fs = require("fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { r = {}; }
  const passed = (r.numPassedTests || 0) + Number(process.argv[2]);
  const failed = (r.numFailedTests || 0) + Number(process.argv[3]) + (r.numRuntimeErrorTestSuites || 0);
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  process.stdout.write(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" "$checks_passed" "$checks_failed")
rm -f "$results"
if [ -s "$reliability" ]; then
  step "reliability (hostile-input and fault suites; every column but cases must be 0)"
  node scripts/reliability-table.js "$reliability"
fi
rm -f "$reliability"
echo
echo "$summary"
if [ "$jest_rc" -ne 0 ] || [ "$checks_failed" -ne 0 ]; then exit 1; fi
