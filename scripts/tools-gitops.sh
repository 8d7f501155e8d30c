#!/usr/bin/env bash
# Build the distribution test tools from Go modules (no prebuilt downloads):
#   helm               (tools/helm: helm.sh/helm/v3, version in tools/helm/version.env)
#   argocd-lua-health  (tools/lua: gopher-lua runner for Argo CD health scripts, tools/lua/version.env)
# Each has its own cache directory keyed by a hash of its inputs, independent of scripts/tools.sh:
#   ${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}/{helm-<version>_<hash>,argocd-lua-health_<hash>}/bin
# A third directory, gitops-<hash>/bin, links both; it is the LAST line of stdout. Progress goes to stderr.
# Re-runs are a fast no-op once built. Serialized with scripts/tools.sh by the same lock file.
#
# Usage: bash scripts/tools-gitops.sh [--update] [--help]
#   --update  regenerate tools/helm and tools/lua go.mod + go.sum from their version.env (network)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO/tools"
UPDATE=0
for arg in "$@"; do
  case "$arg" in
    --update) UPDATE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools-gitops.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[tools-gitops] %s\n' "$*" >&2; }
die() { printf '[tools-gitops] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../tools/helm/version.env
. "$TOOLS/helm/version.env"
# shellcheck source=../tools/lua/version.env
. "$TOOLS/lua/version.env"

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed)"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)

if [ "$UPDATE" = 1 ]; then
  log "updating tools/helm (helm.sh/helm/v3 $HELM_VERSION)"
  (cd "$TOOLS/helm" && printf 'module local/vvp-iac-tools/helm\n\ngo 1.26.0\n' >go.mod && : >go.sum &&
    GOFLAGS=-mod=mod go get -tool "helm.sh/helm/v3/cmd/helm@$HELM_VERSION")
  log "updating tools/lua (github.com/yuin/gopher-lua $GOPHER_LUA_VERSION)"
  (cd "$TOOLS/lua" && printf 'module local/vvp-iac-tools/lua\n\ngo 1.26.0\n' >go.mod && : >go.sum &&
    GOFLAGS=-mod=mod go get "github.com/yuin/gopher-lua@$GOPHER_LUA_VERSION" && GOFLAGS=-mod=mod go mod tidy)
fi

grep -qE "^[[:space:]]*(require )?helm.sh/helm/v3 $HELM_VERSION( |\$)" "$TOOLS/helm/go.mod" ||
  die "tools/helm/go.mod does not require helm.sh/helm/v3 $HELM_VERSION; run: bash scripts/tools-gitops.sh --update"
grep -qE "^[[:space:]]*(require )?github.com/yuin/gopher-lua $GOPHER_LUA_VERSION( |\$)" "$TOOLS/lua/go.mod" ||
  die "tools/lua/go.mod does not require gopher-lua $GOPHER_LUA_VERSION; run: bash scripts/tools-gitops.sh --update"

HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  HELM_LDFLAGS="$HELM_LDFLAGS -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$HELM_K8S_MINOR"
done
LUA_LDFLAGS="-s -w"
FLAGS=(-trimpath)

CACHE_ROOT=${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}
hash_of() { sha256sum | cut -c1-12; }
HELM_HASH=$( (echo "$GOVERSION $HELM_LDFLAGS ${FLAGS[*]}"; cat "$TOOLS"/helm/version.env "$TOOLS"/helm/go.mod "$TOOLS"/helm/go.sum) | hash_of)
LUA_HASH=$( (echo "$GOVERSION $LUA_LDFLAGS ${FLAGS[*]}"; cat "$TOOLS"/lua/version.env "$TOOLS"/lua/go.mod "$TOOLS"/lua/go.sum "$TOOLS"/lua/*.go) | hash_of)
HELM_BIN="$CACHE_ROOT/helm-${HELM_VERSION#v}_$HELM_HASH/bin"
LUA_BIN="$CACHE_ROOT/argocd-lua-health_$LUA_HASH/bin"
BIN="$CACHE_ROOT/gitops-$(echo "$HELM_HASH $LUA_HASH" | hash_of)/bin"

complete() { [ -x "$HELM_BIN/helm" ] && [ -x "$LUA_BIN/argocd-lua-health" ] && [ -L "$BIN/helm" ] && [ -L "$BIN/argocd-lua-health" ]; }
if complete; then
  log "up to date: $BIN"
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
if ! flock -n 9; then
  log "another tools build holds $CACHE_ROOT/.lock; waiting for it"
  flock 9
fi

# build NAME OUTDIR MODULEDIR go-build-args...: to a temp file, then renamed (never half-written)
build() {
  local name=$1 out=$2 dir=$3
  shift 3
  if [ -x "$out/$name" ]; then return 0; fi
  mkdir -p "$out"
  log "$name: building (cd tools/${dir#"$TOOLS"/} && go build $*)"
  local start=$SECONDS
  (cd "$dir" && go build -o "$out/.$name.tmp" "$@") || die "$name: go build failed"
  mv -f "$out/.$name.tmp" "$out/$name"
  log "$name: done in $((SECONDS - start)) s"
}
build helm "$HELM_BIN" "$TOOLS/helm" "${FLAGS[@]}" -ldflags "$HELM_LDFLAGS" helm.sh/helm/v3/cmd/helm
build argocd-lua-health "$LUA_BIN" "$TOOLS/lua" "${FLAGS[@]}" -ldflags "$LUA_LDFLAGS" .

mkdir -p "$BIN"
ln -sfn "$HELM_BIN/helm" "$BIN/helm"
ln -sfn "$LUA_BIN/argocd-lua-health" "$BIN/argocd-lua-health"
complete || die "not all binaries were built"
log "$("$BIN/helm" version --short)"
echo "$BIN"
