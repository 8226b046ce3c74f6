#!/usr/bin/env bash
# promtool and amtool of the current Prometheus / Alertmanager releases (the versions
# docker-compose.yml runs), so CI checks deploy/ against them as well as against Debian's
# Prometheus 2.42 / Alertmanager 0.25. Built from the Go module proxy into
#   .tools/prometheus-current/<version>/{promtool,amtool}
# Idempotent. Cold: promtool about 10 min on 2 cores, amtool about 2 min.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Prometheus 3.x Go modules are tagged v0.3MM.P for v3.MM.P.
prometheus_version="3.16.0"
prometheus_module="v0.316.0"
alertmanager_version="0.34.2"
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "prometheus-current.sh: the Go toolchain is needed (https://go.dev/dl/)" >&2; exit 1; }
export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw
build() { # dir module@version name
  local dir="$1" pkg="$2" name="$3"
  if [ -x "$dir/$name" ]; then
    echo "prometheus-current: $dir/$name is built" >&2
    return
  fi
  mkdir -p "$dir"
  echo "prometheus-current: building $name ($pkg)" >&2
  GOBIN="$dir" go install "$pkg"
}
build "$root/.tools/prometheus-current/prometheus-$prometheus_version" \
  "github.com/prometheus/prometheus/cmd/promtool@$prometheus_module" promtool
build "$root/.tools/prometheus-current/alertmanager-$alertmanager_version" \
  "github.com/prometheus/alertmanager/cmd/amtool@v$alertmanager_version" amtool
