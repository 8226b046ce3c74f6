/**
 * Writes the bundled genai-prices catalog as one JSON file per provider (catalog/<id>.json), so a
 * process parses only the providers it prices, when it first prices one (a few ms of start-up
 * and no 0.8 MB module on the path of the first call). Run after upgrading @pydantic/genai-prices:
 *
 *   node packages/pricing/scripts/split-catalog.ts
 *
 * catalog-files.test.ts fails when the files and the installed package differ.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findProvider } from '@pydantic/genai-prices';
import { CATALOG_PROVIDER_IDS, CATALOG_VERSION } from '../src/catalog-ids.ts';

const dir = new URL('../catalog/', import.meta.url);
const require = createRequire(import.meta.url);
const entry = require.resolve('@pydantic/genai-prices');
const manifest = path.join(path.dirname(entry), '..', 'package.json');
const installed = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
if (`@pydantic/genai-prices@${installed}` !== CATALOG_VERSION) {
  throw new Error(
    `installed @pydantic/genai-prices ${installed}: set CATALOG_VERSION in src/catalog-ids.ts`,
  );
}
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.json')) rmSync(new URL(f, dir));
for (const id of CATALOG_PROVIDER_IDS) {
  const provider = findProvider({ providerId: id });
  if (!provider || provider.id !== id) throw new Error(`provider ${id} is not in the catalog`);
  writeFileSync(new URL(`${id}.json`, dir), `${JSON.stringify(provider)}\n`);
}
console.log(`wrote ${CATALOG_PROVIDER_IDS.length} providers from ${CATALOG_VERSION}`);
