#!/usr/bin/env bash
# Installs and builds every tool the tests and the local stack need, once; cached under .tools/.
# Each piece lives in scripts/setup/*.sh and is idempotent. Debian packages are installed first in
# one apt run (the pieces' own apt calls then find them present); then the Go builds run one after
# another in one lane (each uses both cores) while the Python/apt pieces run in another.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$("$root/scripts/ensure-node.sh"):$PATH"
mkdir -p "$root/.tools/logs"

debian=(prometheus prometheus-alertmanager docker-compose python3 python3-venv iproute2 chromium)
missing=()
for p in "${debian[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
fi

go_lane=(collector dashboard-linter prometheus-current weaviate victoriametrics helm-tools)
run_lane() { # name scripts...
  local lane="$1"; shift
  for s in "$@"; do
    [ -e "$root/scripts/setup/$s.sh" ] || continue
    local started=$SECONDS
    if ! bash "$root/scripts/setup/$s.sh" > "$root/.tools/logs/setup-$s.log" 2>&1; then
      echo "setup: $s FAILED (log: .tools/logs/setup-$s.log)" >&2
      tail -n 30 "$root/.tools/logs/setup-$s.log" >&2
      return 1
    fi
    echo "setup: $s ok ($((SECONDS - started)) s, $lane lane)" >&2
  done
}
others=()
for s in "$root"/scripts/setup/*.sh; do
  name="$(basename "$s" .sh)"
  [[ " ${go_lane[*]} " == *" $name "* ]] || others+=("$name")
done
run_lane go "${go_lane[@]}" & go_pid=$!
run_lane other "${others[@]}" & other_pid=$!
status=0
wait "$go_pid" || status=1
wait "$other_pid" || status=1
exit $status
