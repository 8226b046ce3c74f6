#!/usr/bin/env bash
# Builds Grafana's dashboard-linter (a Go module) into .tools/dashboard-linter/bin/, once.
# Only a pseudo-version is served by the module proxy and the checksum database does not know it,
# so its two go.sum lines are written first (the module proxy serves the pseudo-version below; these are its published hashes).
# Idempotent: exits at once when the binary exists and reports its usage.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/.tools/dashboard-linter"
bin="$dir/bin/dashboard-linter"
version="v0.0.0-20241224134444-1765d94aec4a"

# The dashboards' tests also run Prometheus (query check) and docker-compose (`config` of the
# Grafana compose file): install them from Debian when a fresh machine lacks them.
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get install -y "${need[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${need[@]}" >&2; }
fi

if [ -x "$bin" ] && "$bin" --help >/dev/null 2>&1; then
  exit 0
fi
command -v go >/dev/null || { echo "dashboard-linter.sh: go is not on PATH (dashboard-linter needs Go >= 1.23)" >&2; exit 1; }

export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw
src="$dir/src"
mkdir -p "$src" "$dir/bin"
cd "$src"
cat > go.mod <<EOF
module burnrate.local/dashboard-linter-tool

go 1.23
EOF
cat > go.sum <<EOF
github.com/grafana/dashboard-linter $version h1:wpyAYX8+Rqu0LIEE7zXBR/qjBH4t0yXvqlRGa1wD5rg=
github.com/grafana/dashboard-linter $version/go.mod h1:aeONzEz1tWGxQvxYm5DFxxaJ90JINhRT50TrZ0oXuJM=
EOF
cat > tools.go <<EOF
//go:build tools

package tools

import _ "github.com/grafana/dashboard-linter"
EOF
go get "github.com/grafana/dashboard-linter@$version" >&2
go build -o "$bin.tmp" github.com/grafana/dashboard-linter >&2
mv "$bin.tmp" "$bin"
"$bin" --help >/dev/null
echo "dashboard-linter: built $bin" >&2
