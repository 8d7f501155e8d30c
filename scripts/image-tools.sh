#!/usr/bin/env bash
# Installs the Debian packages the image tests use when they are missing: umoci (unpacks the OCI layout into a
# runtime bundle), skopeo (reads the layout like a registry client would) and crun (runs the bundle where the
# machine's cgroups allow it). Needs root (apt-get). A no-op when all three are installed.
set -euo pipefail
missing=()
for tool in umoci skopeo crun; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[image-tools] installing ${missing[*]} (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
