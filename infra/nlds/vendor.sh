#!/usr/bin/env bash
# Reproducibly vendor the NL Design System CSS (exact versions from package-lock.json) into
# the static files. The result is committed, so a fresh machine needs no npm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../../platform/core/static/vendor/utrecht"
cd "$here"
npm ci --silent --no-audit --no-fund
mkdir -p "$dest"
cp node_modules/@utrecht/component-library-css/dist/index.css "$dest/component-library.css"
for pkg in component-library-css; do
  cp "node_modules/@utrecht/$pkg/LICENSE.md" "$dest/LICENSE-$pkg.md" 2>/dev/null || true
done
echo "vendored into $dest"
