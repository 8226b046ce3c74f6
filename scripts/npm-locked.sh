#!/usr/bin/env bash
# npm for developers working side by side in one tree: one npm at a time.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/.tools"
cd "$root" && exec flock "$root/.tools/npm.lock" "$root/.tools/bin/npm" "$@"
