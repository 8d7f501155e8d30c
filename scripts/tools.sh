#!/usr/bin/env bash
# Build the real components used by the e2e tests from Go modules (no prebuilt downloads):
#   etcd, kube-apiserver, kubectl, kube-controller-manager, pulumi, pulumi-language-nodejs,
#   pulumi-resource-pulumi-nodejs
#   (+ pulumi-resource-kubernetes with --with-kubernetes-provider; only the three pulumi ones with --only pulumi).
#
# Versions: tools/versions.env (the one place to pin them); tools/*/go.{mod,sum} lock them.
# Output:   ${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}/<version-key>/bin
#           Progress goes to stderr; the LAST line of stdout is the absolute bin directory.
#           The pulumi tools have their own key (.../pulumi-<version>_<hash>/bin) and are linked into the full
#           bin directory, so `--only pulumi` (npm run demo) builds nothing else and `npm test` reuses them.
#           When they are not built yet, `--only pulumi` builds the lean pulumi CLI instead (ADR 0012: without
#           the cloud SDKs, unoptimized; .../pulumi-lean-<version>_<hash>/bin), about a quarter of the CPU time.
# Re-runs:  a complete bin directory is reused (fast no-op). Go's module and build caches
#           (GOMODCACHE, GOCACHE) are left at their defaults so rebuilds are incremental.
#
# Usage: bash scripts/tools.sh [--only pulumi [--lean] | --with-kubernetes-provider] [--update] [--help]
#   --only pulumi               only pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs (the demo;
#                               --with-kubernetes-provider is ignored then): the full ones when they are built,
#                               else the lean ones (VVP_IAC_PULUMI_LEAN=0 builds the full ones instead)
#   --lean                      with --only pulumi: the lean ones even when the full ones are built
#   --with-kubernetes-provider  also build pulumi-resource-kubernetes (or VVP_IAC_TOOLS_K8S_PROVIDER=1)
#   --update                    regenerate tools/*/go.mod + go.sum from tools/versions.env (network)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO/tools"
WITH_K8S_PROVIDER=${VVP_IAC_TOOLS_K8S_PROVIDER:-0}
UPDATE=0
ONLY=""
# the demo's lean pulumi CLI: auto (when the full one is not built), 1 (--lean), 0 (VVP_IAC_PULUMI_LEAN=0)
LEAN=auto
[ "${VVP_IAC_PULUMI_LEAN:-}" = 0 ] && LEAN=0
while [ $# -gt 0 ]; do
  arg=$1
  shift
  case "$arg" in
    --only) ONLY=${1:-}; shift || true; [ "$ONLY" = pulumi ] || { echo "tools.sh: --only takes: pulumi" >&2; exit 2; } ;;
    --only=pulumi) ONLY=pulumi ;;
    --with-kubernetes-provider) WITH_K8S_PROVIDER=1 ;;
    --lean) LEAN=1 ;;
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
# the lean CLI and its language host: compiled without optimizations (about 40 % less compile work; the demo's
# few commands do not notice), the host with the same flags so that both share compiled packages
PULUMI_LEAN_FLAGS=("${PULUMI_FLAGS[@]}" "-gcflags=all=-N -l")
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
if [ "$ONLY" != pulumi ]; then
  need_in k8s k8s.io/kubernetes "$K8S_VERSION"
  grep -q "k8s.io/apiserver => k8s.io/apiserver $K8S_STAGING_VERSION" "$TOOLS/k8s/go.mod" ||
    die "tools/k8s/go.mod staging replaces are not at $K8S_STAGING_VERSION; run: bash scripts/tools.sh --update"
  need_in etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
fi
need_in pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
need_in pulumi github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION"
if [ "$WITH_K8S_PROVIDER" = 1 ] && [ "$ONLY" != pulumi ]; then
  need_in pulumi-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 "$PULUMI_K8S_PROVIDER_MODULE_VERSION"
fi

# ---- cache key and layout ------------------------------------------------------------------
CACHE_ROOT=${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}
# The key of the full bin directory is unchanged from before the pulumi tools got their own key (changing it
# would relink every binary); it still covers the pulumi inputs, so a pulumi bump also moves it.
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
# The pulumi tools: their own key (only their inputs), linked into BIN.
PULUMI_HASH=$( (echo "$GOVERSION $PULUMI_VERSION $PULUMI_LDFLAGS ${PULUMI_FLAGS[*]} | $LANGHOST_LDFLAGS"
  cat "$TOOLS"/pulumi/go.mod "$TOOLS"/pulumi/go.sum "$TOOLS"/pulumi/langhost/*.go) | sha256sum | cut -c1-12)
PULUMI_BIN="$CACHE_ROOT/pulumi-${PULUMI_VERSION#v}_$PULUMI_HASH/bin"
# The lean pulumi tools (ADR 0012): their own key, covering the module edits too.
LEAN_HASH=$( (echo "$GOVERSION $PULUMI_VERSION $PULUMI_LDFLAGS ${PULUMI_LEAN_FLAGS[*]} | $LANGHOST_LDFLAGS"
  cat "$TOOLS"/pulumi/go.mod "$TOOLS"/pulumi/go.sum "$TOOLS"/pulumi/langhost/*.go "$REPO/scripts/pulumi-lean-module.js") |
  sha256sum | cut -c1-12)
LEAN_BIN="$CACHE_ROOT/pulumi-lean-${PULUMI_VERSION#v}_$LEAN_HASH/bin"
# The optional provider gets its own key (its inputs are independent), linked into BIN.
K8SPROV_HASH=$( (echo "$GOVERSION $PULUMI_K8S_PROVIDER_MODULE_VERSION $PULUMI_K8S_PROVIDER_VERSION $K8SPROV_LDFLAGS ${K8SPROV_FLAGS[*]}"
  cat "$TOOLS"/pulumi-kubernetes/go.mod "$TOOLS"/pulumi-kubernetes/go.sum "$TOOLS"/pulumi-kubernetes/*.go 2>/dev/null) |
  sha256sum | cut -c1-12)
K8SPROV_BIN="$CACHE_ROOT/pulumi-kubernetes-${PULUMI_K8S_PROVIDER_VERSION}_$K8SPROV_HASH/bin"

PULUMI_BINS=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs)
CORE_BINS=(etcd kube-apiserver kubectl kube-controller-manager "${PULUMI_BINS[@]}")

# has DIR NAME...: every NAME is an executable in DIR
has() {
  local dir=$1 b
  shift
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
}
complete() {
  if [ "$ONLY" = pulumi ]; then
    has "$OUT_DIR" "${PULUMI_BINS[@]}"
    return
  fi
  has "$BIN" "${CORE_BINS[@]}" || return 1
  if [ "$WITH_K8S_PROVIDER" = 1 ]; then has "$BIN" pulumi-resource-kubernetes || return 1; fi
  return 0
}
OUT_DIR=$BIN
[ "$ONLY" = pulumi ] && OUT_DIR=$PULUMI_BIN
[ "$ONLY" = pulumi ] || LEAN=0

# A full bin directory built before the pulumi tools had their own key holds the same binaries (its key covers the
# same inputs): hard-link those instead of building again. Safe without the lock (ln -f replaces atomically).
reuse_pulumi_tools() {
  local b
  has "$BIN" "${PULUMI_BINS[@]}" || return 0
  mkdir -p "$PULUMI_BIN"
  for b in "${PULUMI_BINS[@]}"; do
    if [ ! -x "$PULUMI_BIN/$b" ] && [ ! -L "$BIN/$b" ]; then
      ln -f "$BIN/$b" "$PULUMI_BIN/$b" 2>/dev/null || cp -p "$BIN/$b" "$PULUMI_BIN/$b"
      log "$b: reused from $BIN"
    fi
  done
}
[ "$ONLY" = pulumi ] && reuse_pulumi_tools
# --only pulumi without the full pulumi tools: the lean ones
if [ "$LEAN" = 1 ] || { [ "$LEAN" = auto ] && ! has "$PULUMI_BIN" "${PULUMI_BINS[@]}"; }; then
  LEAN=1
  OUT_DIR=$LEAN_BIN
else
  LEAN=0
fi

if complete; then
  log "up to date: $OUT_DIR"
  echo "$OUT_DIR"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
# Serialize concurrent runs (e.g. several jest workers) on the same cache.
exec 9>"$CACHE_ROOT/.lock"
if ! flock -n 9; then
  log "another tools.sh is building; waiting for it"
  flock 9
fi
if complete; then
  log "up to date: $OUT_DIR"
  echo "$OUT_DIR"
  exit 0
fi

log "go: $GOVERSION, GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE)"
log "building into $OUT_DIR"
df -h "$CACHE_ROOT" | tail -1 | awk '{print "[tools] free disk at cache: " $4}' >&2

SUMMARY=()
TOTAL_START=$(date +%s)
# build NAME DIR -- go build args...: builds into $OUT to a temp file and renames it (never half-written)
OUT=$BIN
build() {
  local name=$1 dir=$2
  shift 3
  if [ -x "$OUT/$name" ]; then
    log "$name: already built"
    return 0
  fi
  local shown=$dir
  case "$dir" in "$TOOLS"/*) shown="tools/${dir#"$TOOLS"/}" ;; esac
  log "$name: building (cd $shown && go build $*)"
  local start=$SECONDS
  (cd "$dir" && go build -o "$OUT/.$name.tmp" "$@") || die "$name: go build failed"
  mv -f "$OUT/.$name.tmp" "$OUT/$name"
  local took=$((SECONDS - start))
  SUMMARY+=("$(printf '%-30s %s' "$name" "$(fmt_secs $took)")")
  log "$name: done in $(fmt_secs $took)"
}

# The pulumi tools into PULUMI_BIN (or, with LEAN=1, the lean ones into LEAN_BIN).
build_pulumi_tools() {
  local dest=$PULUMI_BIN src="$TOOLS/pulumi" flags=("${PULUMI_FLAGS[@]}")
  if [ "$LEAN" = 1 ]; then
    dest=$LEAN_BIN
    flags=("${PULUMI_LEAN_FLAGS[@]}")
    local pkgdir
    pkgdir=$(cd "$TOOLS/pulumi" && go mod download -json "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" |
      sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
    SCRATCH=$(mktemp -d)
    trap 'rm -rf "$SCRATCH"' EXIT
    if node "$REPO/scripts/pulumi-lean-module.js" "$pkgdir" "$TOOLS/pulumi" "$SCRATCH/lean" >/dev/null; then
      src="$SCRATCH/lean"
      log "pulumi: the lean CLI (ADR 0012: pkg/v3 without the cloud SDKs, in $src; unoptimized)"
    else
      log "pulumi: the lean edits do not apply to $PULUMI_VERSION (above); building the full CLI instead"
      dest=$PULUMI_BIN
      flags=("${PULUMI_FLAGS[@]}")
      OUT_DIR=$PULUMI_BIN
    fi
  fi
  mkdir -p "$dest"
  OUT=$dest
  build pulumi "$src" -- "${flags[@]}" -ldflags "$PULUMI_LDFLAGS" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  build pulumi-language-nodejs "$TOOLS/pulumi" -- "${flags[@]}" -ldflags "$LANGHOST_LDFLAGS" ./langhost
  OUT=$BIN
  if [ ! -x "$dest/pulumi-resource-pulumi-nodejs" ]; then
    # The dynamic-provider shim is a shell script shipped in the sdk/v3 module (nodejs/dist).
    local sdkdir
    sdkdir=$(cd "$TOOLS/pulumi" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" |
      sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
    [ -f "$sdkdir/nodejs/dist/pulumi-resource-pulumi-nodejs" ] ||
      die "pulumi-resource-pulumi-nodejs not found in $sdkdir/nodejs/dist"
    install -m 0755 "$sdkdir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$dest/pulumi-resource-pulumi-nodejs"
    log "pulumi-resource-pulumi-nodejs: installed from the sdk/v3 module"
  fi
}

if [ "$ONLY" != pulumi ]; then
  mkdir -p "$BIN"
  # Smallest first, so a broken toolchain shows up early.
  build etcd "$TOOLS/etcd" -- "${ETCD_FLAGS[@]}" -ldflags "$ETCD_LDFLAGS" go.etcd.io/etcd/server/v3
  build kube-apiserver "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kube-apiserver
  build kubectl "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kubectl
  build kube-controller-manager "$TOOLS/k8s" -- "${K8S_FLAGS[@]}" -ldflags "$K8S_LDFLAGS" k8s.io/kubernetes/cmd/kube-controller-manager
fi
if ! has "$BIN" "${PULUMI_BINS[@]}" || [ "$ONLY" = pulumi ]; then
  build_pulumi_tools
  if [ "$ONLY" != pulumi ]; then
    for b in "${PULUMI_BINS[@]}"; do [ -x "$BIN/$b" ] || ln -sfn "$PULUMI_BIN/$b" "$BIN/$b"; done
  fi
fi

if [ "$WITH_K8S_PROVIDER" = 1 ] && [ "$ONLY" != pulumi ] && [ ! -x "$BIN/pulumi-resource-kubernetes" ]; then
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
    OUT=$K8SPROV_BIN
    build pulumi-resource-kubernetes "$SCRATCH" -- "${K8SPROV_FLAGS[@]}" -ldflags "$K8SPROV_LDFLAGS" .
    OUT=$BIN
  fi
  ln -sfn "$K8SPROV_BIN/pulumi-resource-kubernetes" "$BIN/pulumi-resource-kubernetes"
fi

complete || die "not all binaries were built"
log "versions:"
{
  if [ "$ONLY" != pulumi ]; then
    "$BIN/etcd" --version | sed -n 1p
    "$BIN/kube-apiserver" --version
    "$BIN/kubectl" version --client 2>/dev/null | sed -n 1p
  fi
  echo "pulumi $("$OUT_DIR/pulumi" version)"
} | sed 's/^/[tools]   /' >&2
if [ ${#SUMMARY[@]} -gt 0 ]; then
  log "build times (this run):"
  for s in "${SUMMARY[@]}"; do log "  $s"; done
  log "  $(printf '%-30s %s' total "$(fmt_secs $(($(date +%s) - TOTAL_START)))")"
fi
log "disk: $(du -shL "$OUT_DIR" | cut -f1) in $OUT_DIR"
echo "$OUT_DIR"
