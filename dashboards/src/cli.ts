// `npm run dashboards` (in dashboards/): writes every bundled dashboard to dashboards/*.json.
// `--check` writes nothing and exits 1 if any file differs from what the generator would write.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, render } from './index.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const { file, dashboard } of buildAll()) {
  const path = join(outDir, file);
  const want = render(dashboard);
  if (check) {
    const have = await readFile(path, 'utf8').catch(() => '');
    if (have !== want) {
      stale++;
      console.error(
        `${path}: differs from the generator; run \`npm run dashboards -w dashboards\``,
      );
    }
  } else {
    await writeFile(path, want);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale ? 1 : 0;
