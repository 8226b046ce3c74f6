#!/usr/bin/env bash
# Prometheus (with promtool), Alertmanager (with amtool) and docker-compose (to validate
# docker-compose.yml without an engine), from Debian's packages. Idempotent: installs only
# what is missing. The tests and the local stack use these binaries.
set -euo pipefail
need=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || need+=(prometheus)
{ command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null; } \
  && command -v amtool >/dev/null || need+=(prometheus-alertmanager)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [ "${#need[@]}" -eq 0 ]; then
  echo "prometheus: prometheus, alertmanager and docker-compose are installed" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "prometheus: installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${need[@]}" \
  || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${need[@]}"; }
# Debian starts the packaged services on install; the project runs its own instances.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
    $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
done
