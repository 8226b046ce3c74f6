#!/usr/bin/env bash
# Tools the budget evaluator's tests and benchmark need: Prometheus and Alertmanager (Debian).
# Idempotent: installs only what is missing (scripts/setup/prometheus.sh installs the same
# packages; this keeps the evaluator's own needs explicit). The end-to-end test also needs
# the Collector binary from scripts/setup/collector.sh.
set -euo pipefail
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null \
  || need+=(prometheus-alertmanager)
if [ "${#need[@]}" -eq 0 ]; then
  echo "budget-evaluator: prometheus and alertmanager are installed" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "budget-evaluator: installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${need[@]}" \
  || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${need[@]}"; }
