import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let built = false;

/**
 * Builds `@burnrate/auto` and what it depends on (every instrumentation) to JavaScript, once per
 * bench run: the benches measure what a user installs (dist), not the TypeScript sources, whose
 * type stripping alone costs a process about 30 MB of RSS (Node's amaro WebAssembly heap).
 */
export function buildBurnrate(): void {
  if (built) return;
  execFileSync(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '@burnrate/auto', '--with-deps'],
    { cwd: root, stdio: 'ignore' },
  );
  built = true;
}
