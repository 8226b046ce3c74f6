import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../../test/harness/index.ts';
import type { ProviderRecord } from '../reconcile/types.ts';

/** A provider export under src/reconcile/fixtures (real formats, made-up numbers; see its README). */
export function exportFixture(path: string): string {
  return fileURLToPath(new URL(`../reconcile/fixtures/${path}`, import.meta.url));
}

/** What a person checks of a parsed export row: day, model, tokens by kind, dollars to the cent. */
export function brief(r: ProviderRecord) {
  return {
    day: r.day,
    model: r.model,
    charge: r.charge ?? null,
    tokens: r.tokens,
    usd: r.usd === null ? null : Number(r.usd.total.toFixed(2)),
  };
}

/** Writes test exports into a temporary folder of the test file, removed after its tests. */
export function exportWriter(name: string): (file: string, text: string) => string {
  const dir = makeTempDir(name);
  afterAll(() => removeTempDir(dir));
  return (file, text) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  };
}
