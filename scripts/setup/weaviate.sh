#!/usr/bin/env bash
# Builds a real Weaviate server (the weaviate-client v3 tests of packages/instrumentation-weaviate
# run against it) from the Go module proxy, into
#   .tools/weaviate/<version>/weaviate-server
# Idempotent: a no-op when that binary exists (and iproute2 is installed).
# Cold build: about 9 min on 2 cores, ~2 GB module
# cache and ~1 GB build cache under .tools/go/, a 161 MB binary.
# The server binds its gRPC, profiler and cluster ports on all interfaces: the tests run it in its
# own network namespace (`unshare -n`, loopback only); see packages/instrumentation-weaviate/README.md.
set -euo pipefail
command -v unshare >/dev/null || {
  echo "weaviate.sh: 'unshare' (util-linux) is needed to run the server confined to loopback" >&2
  exit 1
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="1.35.2" # keep in step with packages/instrumentation-weaviate/src/test-server/weaviate-server.ts
out="$root/.tools/weaviate/$version"
bin="$out/weaviate-server"
# The tests run the server in its own network namespace: they need `unshare` (util-linux) and `ip`.
if ! command -v ip >/dev/null; then
  echo "weaviate: installing iproute2 (for 'ip link set lo up' in the test namespace)" >&2
  apt-get install -y iproute2 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y iproute2 >/dev/null; }
fi
if [ -x "$bin" ]; then
  echo "weaviate: $bin is up to date" >&2
  exit 0
fi
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || {
  echo "weaviate.sh: the Go toolchain (>= 1.24) is needed to build the Weaviate server; install it from https://go.dev/dl/" >&2
  exit 1
}
export PATH="/usr/local/go/bin:$PATH"
export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw
mkdir -p "$out"
echo "weaviate: downloading github.com/weaviate/weaviate@v$version" >&2
dir="$(cd "$root" && go mod download -json "github.com/weaviate/weaviate@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] && [ -d "$dir" ] || { echo "weaviate.sh: go mod download gave no module directory" >&2; exit 1; }
echo "weaviate: building weaviate-server v$version (cold: about 9 minutes)" >&2
(cd "$dir" && go build -trimpath -o "$bin.tmp" ./cmd/weaviate-server)
mv "$bin.tmp" "$bin"
echo "weaviate: built $bin" >&2
