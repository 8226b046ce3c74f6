#!/usr/bin/env bash
# `npm start`: from a fresh clone to dollars in Prometheus, in one command.
#   1. Node 24 and npm 11 into .tools/ (scripts/ensure-node.sh), unless already there;
#   2. the locked dependencies (`npm install` with package-lock.json), unless already installed;
#   3. only what the stack needs: the Collector (built from Go modules, collector/builder-config.yaml)
#      and Prometheus + Alertmanager (Debian packages) — steps 2 and 3 run side by side;
#   4. the stack (scripts/stack.sh) with the demo service, its traffic and its demo budgets.
# Arguments go to scripts/stack.sh (e.g. --no-demo). Ctrl-C stops everything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS
start_epoch=$(date +%s)
step() { echo "start: $* ($((SECONDS - started)) s)" >&2; }

export PATH="$("$root/scripts/ensure-node.sh"):$PATH"
step "node $(node --version), npm $(npm --version)"
mkdir -p "$root/.tools/logs"

# Dependencies: install when node_modules is missing or older than the lockfile.
deps() {
  local marker="$root/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ "$marker" -nt "$root/package-lock.json" ]; then return 0; fi
  bash "$root/scripts/install-deps.sh"
}
deps >"$root/.tools/logs/start-npm-install.log" 2>&1 &
deps_pid=$!
tools() {
  bash "$root/scripts/setup/prometheus.sh"
  bash "$root/scripts/setup/collector.sh"
}
tools >"$root/.tools/logs/start-tools.log" 2>&1 &
tools_pid=$!
failed=false
if wait "$deps_pid"; then step "dependencies installed"; else
  echo "start: npm install failed (log: .tools/logs/start-npm-install.log):" >&2
  tail -n 20 "$root/.tools/logs/start-npm-install.log" >&2
  failed=true
fi
if wait "$tools_pid"; then step "Collector, Prometheus and Alertmanager ready"; else
  echo "start: building the stack's tools failed (log: .tools/logs/start-tools.log):" >&2
  tail -n 20 "$root/.tools/logs/start-tools.log" >&2
  failed=true
fi
$failed && exit 1

BURNRATE_START_EPOCH=$start_epoch exec bash "$root/scripts/stack.sh" "$@"
