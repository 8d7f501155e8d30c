#!/usr/bin/env bash
# The Python virtualenv of the native provider's Python e2e test: pulumi (pinned in
# examples/native-python/requirements.txt) from PyPI, and the generated SDK (sdks/python, installed from a copy
# with --no-deps; reinstalled when its files change).
# Output: ${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}/native-pyvenv_<hash>/venv, keyed by the Python
#         version and the requirements file; reused when complete. The LAST stdout line is the venv directory.
# Usage: bash scripts/native-python-venv.sh
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REQ="$REPO/examples/native-python/requirements.txt"
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "native-python-venv.sh: $PY is not on PATH" >&2; exit 1; }
CACHE_ROOT=${VVP_IAC_TOOLS_CACHE:-$HOME/.cache/vvp-iac-tools}
HASH=$( ("$PY" --version; cat "$REQ") | sha256sum | cut -c1-12)
DIR="$CACHE_ROOT/native-pyvenv_$HASH"
VENV="$DIR/venv"
SDK_HASH=$(cd "$REPO/sdks/python" && find . -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*' \
  -not -path './build/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
if [ -f "$DIR/.complete" ] && [ "$(cat "$DIR/.sdk" 2>/dev/null)" = "$SDK_HASH" ]; then echo "$VENV"; exit 0; fi
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
if [ ! -f "$DIR/.complete" ]; then
  rm -rf "$VENV"
  printf '[native-python-venv] creating %s\n' "$VENV" >&2
  start=$SECONDS
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet -r "$REQ" >&2
  printf '[native-python-venv] done in %d s\n' $((SECONDS - start)) >&2
  touch "$DIR/.complete"
fi
if [ "$(cat "$DIR/.sdk" 2>/dev/null)" != "$SDK_HASH" ]; then
  # from a copy: a build writes build/ and *.egg-info next to setup.py
  COPY=$(mktemp -d)
  trap 'rm -rf "$COPY"' EXIT
  cp -r "$REPO/sdks/python/." "$COPY/"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet --no-deps --no-build-isolation --force-reinstall "$COPY" >&2
  echo "$SDK_HASH" >"$DIR/.sdk"
  printf '[native-python-venv] installed sdks/python (%s)\n' "$SDK_HASH" >&2
fi
echo "$VENV"
