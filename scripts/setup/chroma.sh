#!/usr/bin/env bash
# Installs a real Chroma server (PyPI `chromadb`) into a Python venv for the chromadb
# instrumentation's integration tests:
#   .tools/chroma/<version>/bin/chroma   (run: chroma run --path DIR --host 127.0.0.1 --port P)
# Idempotent: a no-op when that venv already has this version. About 1 min and 0.5 GB cold.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="1.5.9"
mkdir -p "$root/.tools"
# A venv is not relocatable: build it at the real path of .tools (CI links .tools to a cache
# shared by clones), and check that it still runs before trusting it.
tools="$(cd "$root/.tools" && pwd -P)"
venv="$tools/chroma/$version"
stamp="$venv/.burnrate-installed"
if [ -x "$venv/bin/chroma" ] && [ -f "$stamp" ] && "$venv/bin/chroma" --help >/dev/null 2>&1; then
  echo "chroma: $venv/bin/chroma is up to date" >&2
  exit 0
fi
py="$(command -v python3 || true)"
if [ -z "$py" ] || ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "chroma: installing python3 and python3-venv (Debian)" >&2
  if ! apt-get install -y python3 python3-venv >&2; then
    apt-get update >&2
    apt-get install -y python3 python3-venv >&2
  fi
  py="$(command -v python3)"
fi
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "chromadb==$version" >&2
"$venv/bin/chroma" --help >/dev/null
# A stable path for the tests, whatever the version.
ln -sfn "$version" "$tools/chroma/current"
touch "$stamp"
echo "chroma: installed chromadb $version into $venv" >&2
