#!/usr/bin/env bash
# The one test command (`npm test`): dependencies, tools, lint, types, then every suite — unit, integration and
# end-to-end — in one vitest run. Nothing is skipped: a missing tool is installed by setup-tools,
# and a test that cannot find one fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$("$root/scripts/ensure-node.sh"):$PATH"
# Everything a fresh clone lacks: the locked dependencies, then every tool the suites use.
bash scripts/install-deps.sh
bash scripts/setup-tools.sh
npx biome ci .
npx tsc -p tsconfig.json --noEmit
mkdir -p test/.artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile=test/.artifacts/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test/.artifacts/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (skipped > 0) { console.error("skipped tests are not allowed"); process.exit(1); }
' || status=1
exit $status
