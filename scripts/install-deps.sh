#!/usr/bin/env bash
# The project's locked dependencies, the one way that works with this lockfile: `npm install`,
# not `npm ci`. The lockfile is made on Linux against a registry that serves only the Linux builds
# of packages with per-platform optional dependencies (Biome's @biomejs/cli-*), so it cannot list
# the other platforms' builds and `npm ci` refuses it as out of sync ("Missing: … from lock
# file"). `npm install` with the committed lockfile installs the same tree. Used by `npm start`,
# `npm test`, CI and the docker compose `deps` service.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# npm run from another npm (e.g. inside `npm test`) inherits npm_config_* settings of that run.
for v in $(env | sed -n 's/^\(npm_config_[A-Za-z_]*\)=.*/\1/p'); do unset "$v"; done
exec npm install --no-audit --no-fund "$@"
