#!/usr/bin/env bash
# Builds the Burnrate OpenTelemetry Collector distribution (collector/builder-config.yaml)
# with the Collector Builder (ocb) and the Go toolchain, into
#   .tools/otelcol/<version>/otelcol-burnrate
# Idempotent: a no-op when that binary exists and was built from the current manifest and the
# current source of the project's own components (every `path:` module of the manifest:
# collector/burnratemetricsconnector, collector/labelcapprocessor).
# Cold build: about 2-4 min on 2 cores, ~1 GB memory, ~2.6 GB Go caches under .tools/go/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
manifest="$root/collector/builder-config.yaml"
version="$(sed -n 's/^  version: *\([0-9.]*\).*/\1/p' "$manifest" | head -1)"
[ -n "$version" ] || { echo "collector.sh: no dist.version in $manifest" >&2; exit 1; }
out="$root/.tools/otelcol/$version"
bin="$out/otelcol-burnrate"
stamp="$out/manifest.sha256"
# The cache key: the manifest and every non-test source file of the local modules it builds
# (its `path:` entries, read from the manifest), so a change to either rebuilds.
modules="$(sed -n 's/^ *path: *\.\/\([^ #]*\).*/\1/p' "$manifest")"
[ -n "$modules" ] || { echo "collector.sh: no path: modules in $manifest" >&2; exit 1; }
want="$(
  cd "$root/collector"
  { sha256sum builder-config.yaml
    # shellcheck disable=SC2086 # one folder per line
    find $modules -type f \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum \) -print0 |
      sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
)"
if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "collector: $bin is up to date" >&2
  exit 0
fi
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || {
  echo "collector.sh: the Go toolchain (>= 1.24) is needed to build the Collector; install it from https://go.dev/dl/" >&2
  exit 1
}
export PATH="/usr/local/go/bin:$PATH"
export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw GOBIN="$root/.tools/go/bin"
ocb="$GOBIN/builder-v$version"
if [ ! -x "$ocb" ]; then
  echo "collector: installing ocb v$version" >&2
  go install "go.opentelemetry.io/collector/cmd/builder@v$version"
  mv "$GOBIN/builder" "$ocb"
fi
work="$out/src"
rm -rf "$work"
mkdir -p "$work"
# The manifest's output_path is relative: build inside the cache folder, not the source tree.
# Absolute replace paths: .tools may be a symlink, so a path relative to it would be wrong.
awk -v work="$work" '/^  output_path: / { print "  output_path: " work; print "  use_absolute_replace_paths: true"; next } { print }' \
  "$manifest" > "$out/builder-config.yaml"
echo "collector: building otelcol-burnrate $version (cold: a few minutes)" >&2
# Local modules' `path:` entries are relative to collector/: run ocb from there.
(cd "$root/collector" && "$ocb" --config="$out/builder-config.yaml")
mv "$work/otelcol-burnrate" "$bin"
# The local components' own tests (test/collector-go.test.ts) need modules the build does not
# (testify's go-spew and go-difflib, a newer x/sys): fetched now, with the rest of the setup, so
# the tests run without the network and `go vet` has nothing to download.
# shellcheck disable=SC2086 # one folder per line
for m in $modules; do (cd "$root/collector/$m" && go mod download); done
echo "$want" > "$stamp"
"$bin" --version >&2
