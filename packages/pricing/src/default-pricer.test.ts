import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defaultPricerError, getDefaultPricer, resetDefaultPricer } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-default-'));
const saved = process.env.BURNRATE_PRICES_FILE;
afterEach(() => {
  if (saved === undefined) delete process.env.BURNRATE_PRICES_FILE;
  else process.env.BURNRATE_PRICES_FILE = saved;
  resetDefaultPricer();
  vi.restoreAllMocks();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = { provider: 'ollama', model: 'llama3', tokens: { input: 1000, output: 1000 } };

describe('getDefaultPricer', () => {
  it('is created once, from BURNRATE_PRICES_FILE', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(
      path,
      'version: 1\nmodels:\n  - {provider: ollama, model: llama3, input_per_mtok: 1, output_per_mtok: 2}\n',
    );
    process.env.BURNRATE_PRICES_FILE = path;
    const p = getDefaultPricer();
    expect(getDefaultPricer()).toBe(p);
    expect(p.priceModelCall(call)?.totalUsd).toBe(1000 / 1e6 + 2000 / 1e6);
  });

  it('without the variable prices from the catalog only', () => {
    delete process.env.BURNRATE_PRICES_FILE;
    expect(getDefaultPricer().priceModelCall(call)).toBeUndefined();
    expect(
      getDefaultPricer().priceModelCall({ ...call, provider: 'openai', model: 'gpt-4o-mini' }),
    ).toBeDefined();
  });

  it('a bad file gives one warning naming file, line and field, and falls back to the catalog', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      'version: 1\nmodels:\n  - provider: ollama\n    model: llama3\n    input_per_mtok: "1$"\n',
    );
    process.env.BURNRATE_PRICES_FILE = path;
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const p = getDefaultPricer();
    getDefaultPricer();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toBe(
      `Burnrate prices file ignored: ${path}:5: models[0].input_per_mtok: expected a non-negative number, got "1$"`,
    );
    expect(defaultPricerError()?.line).toBe(5);
    expect(p.priceModelCall(call)).toBeUndefined();
    expect(p.priceModelCall({ ...call, provider: 'openai', model: 'gpt-4o-mini' })).toBeDefined();
  });
});
