#!/usr/bin/env bash
# Build the real components used by the e2e tests from Go modules (no prebuilt downloads):
#   etcd, kube-apiserver, kubectl, kube-controller-manager, pulumi, pulumi-language-nodejs,
#   pulumi-resource-pulumi-nodejs
#   (+ pulumi-resource-kubernetes with --with-kubernetes-provider).
#
# Versions: tools/versions.env (the one place to pin them); tools/*/go.{mod,sum} lock them.
# Output:   ${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}/<version-key>/bin
#           Progress goes to stderr; the LAST line of stdout is the absolute bin directory.
# Re-runs:  a complete bin directory is reused (fast no-op). Go's module and build caches
#           (GOMODCACHE, GOCACHE) are left at their defaults so rebuilds are incremental.
#
# Usage: bash scripts/tools.sh [--with-kubernetes-provider] [--update] [--help]
#   --with-kubernetes-provider  also build pulumi-resource-kubernetes (or VVP_IAC_TOOLS_K8S_PROVIDER=1)
#   --update                    regenerate tools/*/go.mod + go.sum from tools/versions.env (network)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO/tools"
WITH_K8S_PROVIDER=${VVP_IAC_TOOLS_K8S_PROVIDER:-0}
UPDATE=0
for arg in "$@"; do
  case "$arg" in
    --with-kubernetes-provider) WITH_K8S_PROVIDER=1 ;;
    --update) UPDATE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }
fmt_secs() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

set -a
# shellcheck source=../tools/versions.env
. "$TOOLS/versions.env"
set +a

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed)"
# Fail loudly instead of silently fetching another Go toolchain.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)

# ---- build flags (part of the cache key) ---------------------------------------------------
K8S_MINOR=$(echo "$K8S_VERSION" | cut -d. -f2)
K8S_LDFLAGS="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LDFLAGS="$K8S_LDFLAGS -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR"
  K8S_LDFLAGS="$K8S_LDFLAGS -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
K8S_FLAGS=(-trimpath -pgo=off)
ETCD_LDFLAGS="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION"
ETCD_FLAGS=(-trimpath)
PULUMI_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
PULUMI_FLAGS=(-trimpath -tags osusergo,grpcnotrace)
LANGHOST_LDFLAGS="-s -w -X main.Version=$PULUMI_VERSION"
K8SPROV_LDFLAGS="-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_K8S_PROVIDER_VERSION"
K8SPROV_FLAGS=(-trimpath)

# ---- --update: regenerate the wrapper modules from versions.env ----------------------------
update_modules() {
  log "updating tools/k8s (k8s.io/kubernetes $K8S_VERSION, staging $K8S_STAGING_VERSION)"
  (
    cd "$TOOLS/k8s"
    printf 'module local/vvp-iac-tools/k8s\n\ngo 1.26.0\n' >go.mod
    : >go.sum
    local kgomod
    kgomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\([^"]*\)".*/\1/p')
    # k8s.io/kubernetes replaces every staging module with ./staging/src/...; map each to its tag.
    sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\1#p' "$kgomod" | while read -r m; do
      go mod edit -replace="$m=$m@$K8S_STAGING_VERSION"
    done
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION"
  )
  log "updating tools/etcd (go.etcd.io/etcd/server/v3 $ETCD_VERSION)"
  (
    cd "$TOOLS/etcd"
    printf 'module local/vvp-iac-tools/etcd\n\ngo 1.26.0\n' >go.mod
    : >go.sum
    go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  )
  log "updating tools/pulumi (pkg/v3 + sdk/v3 $PULUMI_VERSION)"
  (
    cd "$TOOLS/pulumi"
    printf 'module local/vvp-iac-tools/pulumi\n\ngo 1.26.0\n\nreplace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n' >go.mod
    : >go.sum
    # pkg/v3's go.mod names the previous sdk/v3 (upstream builds against ../sdk): pin sdk == pkg.
    go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
  )
  log "updating tools/pulumi-kubernetes (provider/v4 $PULUMI_K8S_PROVIDER_MODULE_VERSION)"
  (
    cd "$TOOLS/pulumi-kubernetes"
    printf 'module local/vvp-iac-tools/pulumi-kubernetes\n\ngo 1.26.0\n' >go.mod
    : >go.sum
    go get "github.com/pulumi/pulumi-kubernetes/provider/v4@$PULUMI_K8S_PROVIDER_MODULE_VERSION"
    # Resolve main.go's imports; its embed files must exist for that (removed again below).
    local pdir
    pdir=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)
    install -m 0644 "$pdir/cmd/pulumi-resource-kubernetes/schema.json" schema-embed.json
    install -m 0644 "$pdir/cmd/pulumi-resource-kubernetes/terraform-mapping.json" terraform-mapping-embed.json
    go get .
    rm -f schema-embed.json terraform-mapping-embed.json
  )
}
if [ "$UPDATE" = 1 ]; then update_modules; fi

# ---- consistency: go.mod must match versions.env -------------------------------------------
need_in() { grep -qE "^[[:space:]]*(require )?$2 $3( |\$)" "$TOOLS/$1/go.mod" ||
  die "tools/$1/go.mod does not require $2 $3 (tools/versions.env); run: bash scripts/tools.sh --update"; }
need_in k8s k8s.io/kubernetes "$K8S_VERSION"
grep -q "k8s.io/apiserver => k8s.io/apiserver $K8S_STAGING_VERSION" "$TOOLS/k8s/go.mod" ||
  die "tools/k8s/go.mod staging replaces are not at $K8S_STAGING_VERSION; run: bash scripts/tools.sh --update"
need_in etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
need_in pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
need_in pulumi github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION"
if [ "$WITH_K8S_PROVIDER" = 1 ]; then
  need_in pulumi-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 "$PULUMI_K8S_PROVIDER_MODULE_VERSION"
fi

# ---- cache key and layout ------------------------------------------------------------------
CACHE_ROOT=${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}
key_input() {
  echo "$GOVERSION"
  cat "$TOOLS/versions.env"
  cat "$TOOLS"/k8s/go.mod "$TOOLS"/k8s/go.sum "$TOOLS"/etcd/go.mod "$TOOLS"/etcd/go.sum
  cat "$TOOLS"/pulumi/go.mod "$TOOLS"/pulumi/go.sum "$TOOLS"/pulumi/langhost/*.go
  echo "$K8S_LDFLAGS ${K8S_FLAGS[*]} | $ETCD_LDFLAGS ${ETCD_FLAGS[*]} | $PULUMI_LDFLAGS ${PULUMI_FLAGS[*]} | $LANGHOST_LDFLAGS"
}
HASH=$(key_input | sha256sum | cut -c1-12)
KEY="k8s-${K8S_VERSION#v}_etcd-${ETCD_VERSION#v}_pulumi-${PULUMI_VERSION#v}_$HASH"
BIN="$CACHE_ROOT/$KEY/bin"
# The optional provider gets its own key (its inputs are independent), linked into BIN.
K8SPROV_HASH=$( (echo "$GOVERSION $PULUMI_K8S_PROVIDER_MODULE_VERSION $PULUMI_K8S_PROVIDER_VERSION $K8SPROV_LDFLAGS ${K8SPROV_FLAGS[*]}"
  cat "$TOOLS"/pulumi-kubernetes/go.mod "$TOOLS"/pulumi-kubernetes/go.sum "$TOOLS"/pulumi-kubernetes/*.go 2>/dev/null) |
  sha256sum | cut -c1-12)
K8SPROV_BIN="$CACHE_ROOT/pulumi-kubernetes-${PULUMI_K8S_PROVIDER_VERSION}_$K8SPROV_HASH/bin"

CORE_BINS=(etcd kube-apiserver kubectl kube-controller-manager pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs)

complete() {
  local b
  for b in "${CORE_BINS[@]}"; do [ -x "$BIN/$b" ] || return 1; done
  if [ "$WITH_K8S_PROVIDER" = 1 ]; then [ -x "$BIN/pulumi-resource-kubernetes" ] || return 1; fi
  return 0
}

if complete; then
  log "up to date: $BIN"
  echo "$BIN"
  exit 0
fi

mkdir -p "$BIN"
# Serialize concurrent runs (e.g. several jest workers) on the same cache.
exec 9>"$CACHE_ROOT/.lock"
if ! flock -n 9; then
  log "another tools.sh is building; waiting for it"
  flock 9
fi
if complete; then
  log "up to date: $BIN"
  echo "$BIN"
  exit 0
fi

log "go: $GOVERSION, GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE)"
log "building into $BIN"
df -h "$CACHE_ROOT" | tail -1 | awk '{print "[tools] free disk at cache: " $4}' >&2

SUMMARY=()
TOTAL_START=$(date +%s)
# build NAME DIR -- go build args...; builds to a temp file and renames it (never half-written)
build() {
  local name=$1 dir=$2
  shift 3
  if [ -x "$BIN/$name" ]; then
    log "$name: already built"
    return 0
  fi
  local shown=$dir
  case "$dir" in "$TOOLS"/*) shown="tools/${dir#"$TOOLS"/}" ;; esac
  log "$name: building (cd $shown && go build $*)"
  local start=$SECONDS
  (cd "$dir" && go build -o "$BIN/.$name.tmp" "$@") || die "$name: go build failed"
  mv -f "$BIN/.$name.tmp" "$BIN/$name"
  local took=$((SECONDS - start))
  SUMMARY+=("$(printf '%-30s %s' "$name" "$(fmt_secs $took)")")
  log "$name: done in $(fmt_secs $took)"
}

# Smallest first, so a broken toolchain shows up early.
build etcd "$TOOLS/etcd" -- "${ETCD_FLAGS[@]}" -ldflags "$ETCD_LDFLAGS" go.etcd.io/etcd/server/v3
build kube-apiserver "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kube-apiserver
build kubectl "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kubectl
build kube-controller-manager "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kube-controller-manager
build pulumi "$TOOLS/pulumi" -- "${PULUMI_FLAGS[@]}" -ldflags "$PULUMI_LDFLAGS" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build pulumi-language-nodejs "$TOOLS/pulumi" -- "${PULUMI_FLAGS[@]}" -ldflags "$LANGHOST_LDFLAGS" ./langhost

if [ ! -x "$BIN/pulumi-resource-pulumi-nodejs" ]; then
  # The dynamic-provider shim is a shell script shipped in the sdk/v3 module (nodejs/dist).
  SDKDIR=$(cd "$TOOLS/pulumi" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" |
    sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
  [ -f "$SDKDIR/nodejs/dist/pulumi-resource-pulumi-nodejs" ] ||
    die "pulumi-resource-pulumi-nodejs not found in $SDKDIR/nodejs/dist"
  install -m 0755 "$SDKDIR/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN/pulumi-resource-pulumi-nodejs"
  log "pulumi-resource-pulumi-nodejs: installed from the sdk/v3 module"
fi

if [ "$WITH_K8S_PROVIDER" = 1 ] && [ ! -x "$BIN/pulumi-resource-kubernetes" ]; then
  mkdir -p "$K8SPROV_BIN"
  if [ ! -x "$K8SPROV_BIN/pulumi-resource-kubernetes" ]; then
    # main.go embeds schema-embed.json and terraform-mapping-embed.json, which upstream generates
    # and does not ship as such: copy them from the provider module into a scratch copy of the
    # wrapper module and build there.
    PROVDIR=$(cd "$TOOLS/pulumi-kubernetes" && go mod download -json \
      "github.com/pulumi/pulumi-kubernetes/provider/v4@$PULUMI_K8S_PROVIDER_MODULE_VERSION" |
      sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
    SCRATCH=$(mktemp -d)
    trap 'rm -rf "$SCRATCH"' EXIT
    cp "$TOOLS"/pulumi-kubernetes/go.mod "$TOOLS"/pulumi-kubernetes/go.sum "$TOOLS"/pulumi-kubernetes/*.go "$SCRATCH/"
    install -m 0644 "$PROVDIR/cmd/pulumi-resource-kubernetes/schema.json" "$SCRATCH/schema-embed.json"
    install -m 0644 "$PROVDIR/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$SCRATCH/terraform-mapping-embed.json"
    SAVED_BIN=$BIN
    BIN=$K8SPROV_BIN
    build pulumi-resource-kubernetes "$SCRATCH" -- "${K8SPROV_FLAGS[@]}" -ldflags "$K8SPROV_LDFLAGS" .
    BIN=$SAVED_BIN
  fi
  ln -sfn "$K8SPROV_BIN/pulumi-resource-kubernetes" "$BIN/pulumi-resource-kubernetes"
fi

complete || die "not all binaries were built"
log "versions:"
{
  "$BIN/etcd" --version | sed -n 1p
  "$BIN/kube-apiserver" --version
  "$BIN/kubectl" version --client 2>/dev/null | sed -n 1p
  echo "pulumi $("$BIN/pulumi" version)"
} | sed 's/^/[tools]   /' >&2
if [ ${#SUMMARY[@]} -gt 0 ]; then
  log "build times (this run):"
  for s in "${SUMMARY[@]}"; do log "  $s"; done
  log "  $(printf '%-30s %s' total "$(fmt_secs $(($(date +%s) - TOTAL_START)))")"
fi
log "disk: $(du -sh "$BIN" | cut -f1) in $BIN"
echo "$BIN"
