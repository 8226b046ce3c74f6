#!/usr/bin/env bash
# Chromium from Debian, for the browser check of `burnrate report`'s HTML page (playwright-core
# drives /usr/bin/chromium; playwright's own browser downloads are not used). Idempotent.
set -euo pipefail
if command -v chromium >/dev/null; then
  echo "chromium: $(chromium --version 2>/dev/null | head -n 1) is installed" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "chromium: installing from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends chromium \
  || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }
