#!/usr/bin/env bash
# Build the Go tools of the native vvp provider's tests and SDK generation (no prebuilt downloads):
#   vvp-codegen            tools/codegen: nodejs/python/go SDKs from the package schema (pkg/v3 codegen)
#   pulumi-language-yaml   tools/pulumi-yaml: the Pulumi YAML language host (pulumi-yaml v1.25.0, own sdk)
#   pulumi-language-python tools/langhosts/python: a small Python language host (+ pulumi-language-python-exec
#                          from the sdk/v3 module)
#   pulumi-language-go     tools/langhosts/golang: a small Go language host (go build + run)
# Each tool has its own cache key (Go version, its go.mod/go.sum/sources and build flags), independent of
# scripts/tools.sh, so a change here never rebuilds the core tools and vice versa.
#
# Output:   ${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}/native-<tool>_<hash>/bin per tool, linked into
#           .../native_<hash>/bin. Progress goes to stderr; the LAST line of stdout is that bin directory.
# Re-runs:  complete directories are reused (fast no-op); Go's module and build caches stay at their defaults.
#
# Usage: bash scripts/native-tools.sh [--only codegen|yaml|langhosts] [--help]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$REPO/tools"
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY=${2:-}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "native-tools.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[native-tools] %s\n' "$*" >&2; }
die() { printf '[native-tools] ERROR: %s\n' "$*" >&2; exit 1; }

set -a
# shellcheck source=../tools/versions.env
. "$TOOLS/versions.env"
. "$TOOLS/pulumi-yaml/version.env"
set +a

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed)"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)
CACHE_ROOT=${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}
mkdir -p "$CACHE_ROOT"

# consistency: the modules must pin what versions.env / version.env say
need_in() { grep -qE "^[[:space:]]*(require )?$2 $3( |\$)" "$TOOLS/$1/go.mod" ||
  die "tools/$1/go.mod does not require $2 $3; update the module (see tools/pulumi-yaml/version.env)"; }
need_in pulumi-yaml github.com/pulumi/pulumi-yaml "$PULUMI_YAML_VERSION"
need_in codegen github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
need_in langhosts github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION"

FLAGS=(-trimpath)
CODEGEN_LDFLAGS="-s -w"
YAML_LDFLAGS="-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION"
PYHOST_LDFLAGS="-s -w -X main.Version=$PULUMI_VERSION"

# key NAME FILES... : the cache directory of one tool
key() {
  local name=$1
  shift
  local hash
  hash=$( (echo "$GOVERSION ${FLAGS[*]} $CODEGEN_LDFLAGS | $YAML_LDFLAGS | $PYHOST_LDFLAGS"; cat "$@") | sha256sum | cut -c1-12)
  echo "$CACHE_ROOT/native-${name}_$hash/bin"
}
CODEGEN_BIN=$(key codegen "$TOOLS"/codegen/go.mod "$TOOLS"/codegen/go.sum "$TOOLS"/codegen/*.go)
YAML_BIN=$(key yaml "$TOOLS"/pulumi-yaml/go.mod "$TOOLS"/pulumi-yaml/go.sum "$TOOLS"/pulumi-yaml/version.env)
PYHOST_BIN=$(key langhosts "$TOOLS"/langhosts/go.mod "$TOOLS"/langhosts/go.sum "$TOOLS"/langhosts/*/*.go \
  "$TOOLS"/langhosts/internal/*/*.go)
ALL_HASH=$(echo "$CODEGEN_BIN $YAML_BIN $PYHOST_BIN" | sha256sum | cut -c1-12)
BIN="$CACHE_ROOT/native_$ALL_HASH/bin"

# build NAME BINDIR MODULEDIR LDFLAGS PACKAGE: builds to a temp file and renames it (never half-written)
build() {
  local name=$1 bindir=$2 dir=$3 ldflags=$4 pkg=$5
  if [ -x "$bindir/$name" ]; then return 0; fi
  mkdir -p "$bindir"
  exec 8>"$bindir/.lock"
  flock 8
  if [ -x "$bindir/$name" ]; then return 0; fi
  log "$name: building (cd tools/${dir#"$TOOLS"/} && go build $pkg)"
  local start=$SECONDS
  (cd "$dir" && nice -n 10 go build "${FLAGS[@]}" -ldflags "$ldflags" -o "$bindir/.$name.tmp" "$pkg") ||
    die "$name: go build failed"
  mv -f "$bindir/.$name.tmp" "$bindir/$name"
  log "$name: done in $((SECONDS - start)) s"
}

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

if want codegen; then build vvp-codegen "$CODEGEN_BIN" "$TOOLS/codegen" "$CODEGEN_LDFLAGS" .; fi
if want yaml; then
  build pulumi-language-yaml "$YAML_BIN" "$TOOLS/pulumi-yaml" "$YAML_LDFLAGS" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
fi
if want langhosts; then
  build pulumi-language-python "$PYHOST_BIN" "$TOOLS/langhosts" "$PYHOST_LDFLAGS" ./python
  build pulumi-language-go "$PYHOST_BIN" "$TOOLS/langhosts" "$PYHOST_LDFLAGS" ./golang
  if [ ! -f "$PYHOST_BIN/pulumi-language-python-exec" ]; then
    SDKDIR=$(cd "$TOOLS/langhosts" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" |
      sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
    [ -f "$SDKDIR/python/cmd/pulumi-language-python-exec" ] || die "pulumi-language-python-exec not in $SDKDIR"
    install -m 0755 "$SDKDIR/python/cmd/pulumi-language-python-exec" "$PYHOST_BIN/pulumi-language-python-exec"
  fi
fi

mkdir -p "$BIN"
for pair in "vvp-codegen:$CODEGEN_BIN" "pulumi-language-yaml:$YAML_BIN" "pulumi-language-python:$PYHOST_BIN" \
  "pulumi-language-python-exec:$PYHOST_BIN" "pulumi-language-go:$PYHOST_BIN"; do
  name=${pair%%:*}
  dir=${pair#*:}
  if [ -e "$dir/$name" ]; then ln -sfn "$dir/$name" "$BIN/$name"; fi
done
echo "$BIN"
