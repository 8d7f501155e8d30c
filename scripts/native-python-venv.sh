#!/usr/bin/env bash
# The Python virtualenv of the native provider's Python e2e test: pulumi (pinned in
# examples/native-python/requirements.txt) from PyPI, nothing else. The generated SDK (sdks/python) is not
# installed; the test puts it on PYTHONPATH, so a regenerated SDK needs no new venv.
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
if [ -f "$DIR/.complete" ]; then echo "$VENV"; exit 0; fi
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
if [ -f "$DIR/.complete" ]; then echo "$VENV"; exit 0; fi
rm -rf "$VENV"
printf '[native-python-venv] creating %s\n' "$VENV" >&2
start=$SECONDS
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install --disable-pip-version-check --quiet -r "$REQ" >&2
printf '[native-python-venv] done in %d s\n' $((SECONDS - start)) >&2
touch "$DIR/.complete"
echo "$VENV"
