#!/usr/bin/env bash
# Installs and builds every tool the tests and the local stack need, once; cached under .tools/.
# Each piece lives in scripts/setup/*.sh and is idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$("$root/scripts/ensure-node.sh"):$PATH"
for s in "$root"/scripts/setup/*.sh; do
  [ -e "$s" ] || continue
  echo "setup: $(basename "$s")" >&2
  bash "$s"
done
