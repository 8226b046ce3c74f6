import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ClassLike } from './types.ts';

interface CachedModule {
  exports?: unknown;
  filename?: string;
}

/**
 * `LocalTable`, the class of every table a connection opens, is not exported by the package: find
 * it in the CommonJS module cache, beside the entry module whose exports we were given
 * (`dist/index.js` -> `dist/table.js`). The package is CommonJS, so an ESM `import` loads it
 * through that cache too. Undefined when it cannot be found (writes are then not traced).
 */
export function findLocalTable(entryExports: unknown): ClassLike | undefined {
  const cache = createRequire(import.meta.url).cache as Record<string, CachedModule | undefined>;
  for (const mod of Object.values(cache)) {
    if (!mod || mod.exports !== entryExports || !mod.filename) continue;
    const table = cache[join(dirname(mod.filename), 'table.js')]?.exports as
      | { LocalTable?: unknown }
      | undefined;
    const LocalTable: unknown = table?.LocalTable;
    if (typeof LocalTable === 'function' && LocalTable.prototype) return LocalTable as ClassLike;
  }
  return undefined;
}
