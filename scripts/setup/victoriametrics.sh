#!/usr/bin/env bash
# Builds the VictoriaMetrics single-node server (the long-term store the remote-write tests write
# to: test/remote-write-stores.test.ts, test/remote-write-auth.test.ts) from the Go module proxy,
# into
#   .tools/victoriametrics/<version>/victoria-metrics
# Idempotent: a no-op when that binary exists and its stamp names this version.
# Build: measured 33 s on 2 cores (its own modules downloaded in that run; Go's build cache
# already held the standard library from the Collector's build), a 27 MB binary. vmalert is not
# built: the tests query the raw counters; deploy/README.md "Long-term stores (remote write)"
# says how to get the recording rules.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="1.151.0" # keep in step with test/harness/victoriametrics.ts
out="$root/.tools/victoriametrics/$version"
bin="$out/victoria-metrics"
stamp="$out/stamp"
if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "v$version" ]; then
  echo "victoriametrics: $bin is up to date" >&2
  exit 0
fi
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || {
  echo "victoriametrics.sh: the Go toolchain (>= 1.24) is needed to build VictoriaMetrics; install it from https://go.dev/dl/" >&2
  exit 1
}
export PATH="/usr/local/go/bin:$PATH"
export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw
mkdir -p "$out"
echo "victoriametrics: downloading github.com/VictoriaMetrics/VictoriaMetrics@v$version" >&2
dir="$(cd "$root" && go mod download -json "github.com/VictoriaMetrics/VictoriaMetrics@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] && [ -d "$dir" ] || { echo "victoriametrics.sh: go mod download gave no module directory" >&2; exit 1; }
echo "victoriametrics: building victoria-metrics v$version (cold: under a minute)" >&2
# go build only reads the module directory (read-only in the module cache); the binary goes to .tools/.
(cd "$dir" && go build -trimpath -ldflags "-X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-metrics-v$version" -o "$bin.tmp" ./app/victoria-metrics)
mv "$bin.tmp" "$bin"
echo "v$version" > "$stamp"
"$bin" -version >&2
echo "victoriametrics: built $bin" >&2
