import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { CATALOG_PROVIDER_IDS, CATALOG_VERSION } from './catalog-ids.ts';

const dir = new URL('../catalog/', import.meta.url);

describe('the per-provider catalog files', () => {
  it('hold exactly the installed genai-prices catalog, provider by provider', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.slice(0, -'.json'.length)).sort()).toEqual(
      [...CATALOG_PROVIDER_IDS].sort(),
    );
    for (const id of CATALOG_PROVIDER_IDS) {
      const fromPackage = findProvider({ providerId: id });
      expect(fromPackage?.id).toBe(id);
      const fromFile = JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8'));
      // Structural equality, value by value: a Date, NaN or class the JSON could not carry fails.
      expect(fromFile, id).toStrictEqual(JSON.parse(JSON.stringify(fromPackage)));
      expect(fromFile, id).toEqual(fromPackage);
    }
  });

  it('name the installed package version', () => {
    const require = createRequire(import.meta.url);
    const manifest = path.join(
      path.dirname(require.resolve('@pydantic/genai-prices')),
      '..',
      'package.json',
    );
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    expect(CATALOG_VERSION).toBe(`@pydantic/genai-prices@${version}`);
  });
});
