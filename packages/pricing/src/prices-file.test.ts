import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPricer, PricesFileError } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `prices-${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const M = 1_000_000;

const GOOD = `version: 1
models:
  # negotiated price for a catalog model: applies to its dated ids too
  - provider: openai
    model: gpt-4o
    input_per_mtok: 2
    output_per_mtok: 8
  # a model the catalog lacks
  - provider: ollama
    model: llama3.1:8b
    input_per_mtok: 0.05
    output_per_mtok: 0.1
discounts:
  - provider: anthropic
    multiplier: 0.9
  - provider: anthropic
    model: claude-3-5-haiku-latest
    multiplier: 0.5
azure_deployments:
  prod-chat: gpt-4o-mini
vector_databases:
  - db_system: pinecone
    per_million_read_units: 24
    per_million_write_units: 6
  - db_system: qdrant
    operation: search
    per_operation: 0.0001
`;

describe('a valid prices file', () => {
  const path = file(GOOD);
  const pricer = createPricer({ pricesFile: path });

  it('negotiated prices win over the catalog, for dated ids too; unset fields keep catalog prices', () => {
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      tokens: { input: 1000, output: 100, cacheRead: 200 },
    });
    expect(cost).toMatchObject({
      inputUsd: (800 * 2) / M,
      outputUsd: (100 * 8) / M,
      cacheReadUsd: (200 * 1.25) / M, // catalog cache-read price, not overridden
      pricingModel: 'gpt-4o',
      pricingProvider: 'openai',
      origin: 'override',
      catalogVersion: `prices-file:${path}`,
    });
    // a model without an override is still priced from the catalog
    expect(
      pricer.priceModelCall({
        provider: 'openai',
        model: 'gpt-4o-mini',
        tokens: { input: 1000, output: 0 },
      }),
    ).toMatchObject({
      origin: 'catalog',
      catalogVersion: '@pydantic/genai-prices@0.1.8',
    });
  });

  it('prices models the catalog lacks (self-hosted)', () => {
    const cost = pricer.priceModelCall({
      provider: 'ollama',
      model: 'llama3.1:8b',
      tokens: { input: 2000, output: 500 },
    });
    expect(cost?.totalUsd).toBe((2000 * 0.05) / M + (500 * 0.1) / M);
    expect(cost?.pricingProvider).toBe('ollama');
    expect(pricer.unitPrices('ollama', 'llama3.1:8b')?.inputPerToken).toBe(0.05 / M);
  });

  it('applies the most specific discount to catalog prices (model over provider, never both)', () => {
    const tokens = { input: 1000, output: 1000 };
    const sonnet = pricer.priceModelCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      tokens,
    });
    expect(sonnet?.inputUsd).toBe(((1000 * 3) / M) * 0.9);
    expect(sonnet?.outputUsd).toBe(((1000 * 15) / M) * 0.9);
    expect(sonnet).toMatchObject({
      discount: 0.9,
      origin: 'override',
      pricingModel: 'claude-sonnet-4-0',
    });
    const haiku = pricer.priceModelCall({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      tokens,
    });
    expect(haiku?.totalUsd).toBe(((1000 * 0.8) / M) * 0.5 + ((1000 * 4) / M) * 0.5);
    expect(pricer.unitPrices('anthropic', 'claude-3-5-haiku-20241022')?.inputPerToken).toBe(
      (0.8 * 0.5) / M,
    );
  });

  it('a discount or price named by a dated id covers the whole catalog entry', () => {
    const path = file(
      'version: 1\ndiscounts:\n  - {provider: openai, model: gpt-4o-2024-11-20, multiplier: 0.75}\nmodels:\n  - {provider: aws.bedrock, model: amazon.nova-pro-v1:0, input_per_mtok: 0.5}\n',
    );
    const p = createPricer({ pricesFile: path });
    const cost = p.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o',
      tokens: { input: 1000, output: 0 },
    });
    expect(cost?.inputUsd).toBe(((1000 * 2.5) / M) * 0.75);
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'gpt-4o-mini',
        tokens: { input: 1, output: 0 },
      })?.discount,
    ).toBeUndefined();
    // an override written with the provider's semconv or catalog name applies to both
    const nova = p.priceModelCall({
      provider: 'aws.bedrock',
      model: 'us.amazon.nova-pro-v1:0',
      tokens: { input: 1000, output: 1000 },
    });
    expect(nova?.inputUsd).toBe((1000 * 0.5) / M);
    expect(nova?.outputUsd).toBe((1000 * 3.2) / M);
    expect(
      p.priceModelCall({
        provider: 'aws',
        model: 'amazon.nova-pro-v1:0',
        tokens: { input: 1000, output: 0 },
      })?.inputUsd,
    ).toBe((1000 * 0.5) / M);
  });

  it('maps Azure deployments from the file', () => {
    const cost = pricer.priceModelCall({
      provider: 'azure.ai.openai',
      model: 'prod-chat',
      tokens: { input: 1000, output: 0 },
    });
    expect(cost?.pricingModel).toBe('gpt-4o-mini');
    expect(cost?.inputUsd).toBe((1000 * 0.15) / M);
  });

  it('prices vector operations from the file before the built-in defaults', () => {
    expect(
      pricer.priceVectorOperation({ dbSystem: 'pinecone', operation: 'query', readUnits: 5 }),
    ).toEqual({
      totalUsd: (5 * 24) / M,
      pricingModel: 'pinecone',
      catalogVersion: `prices-file:${path}`,
    });
    expect(pricer.priceVectorOperation({ dbSystem: 'qdrant', operation: 'search' })?.totalUsd).toBe(
      0.0001,
    );
    expect(
      pricer.priceVectorOperation({ dbSystem: 'qdrant', operation: 'upsert', vectors: 10 }),
    ).toBeUndefined();
  });

  it('reads the same schema as JSON', () => {
    const json = file(
      JSON.stringify({
        version: 1,
        models: [
          { provider: 'vllm', model: 'Qwen/Qwen3-8B', input_per_mtok: 0.02, output_per_mtok: 0.04 },
        ],
      }),
      'json',
    );
    const cost = createPricer({ pricesFile: json }).priceModelCall({
      provider: 'vllm',
      model: 'qwen/qwen3-8b',
      tokens: { input: 1000, output: 1000 },
    });
    expect(cost?.totalUsd).toBe((1000 * 0.02) / M + (1000 * 0.04) / M);
  });
});

function errorOf(text: string, ext = 'yaml'): { path: string; err: PricesFileError } {
  const path = file(text, ext);
  try {
    createPricer({ pricesFile: path });
  } catch (err) {
    if (err instanceof PricesFileError) return { path, err };
    throw err;
  }
  throw new Error('expected a PricesFileError');
}

describe('a bad prices file gets ONE error naming the file, the line and the field', () => {
  it('wrong type', () => {
    const { path, err } = errorOf(GOOD.replace('input_per_mtok: 0.05', 'input_per_mtok: abc'));
    expect(err.message).toBe(
      `${path}:11: models[1].input_per_mtok: expected a non-negative number, got "abc"`,
    );
    expect(err).toMatchObject({ file: path, line: 11, field: 'models[1].input_per_mtok' });
  });

  it('negative price', () => {
    const { path, err } = errorOf(
      GOOD.replace('per_million_write_units: 6', 'per_million_write_units: -6'),
    );
    expect(err.message).toBe(
      `${path}:24: vector_databases[0].per_million_write_units: expected a non-negative number, got -6`,
    );
  });

  it('unknown field (a typo) points at the key', () => {
    const { path, err } = errorOf(
      GOOD.replace('    output_per_mtok: 8\n', '    output_per_mtk: 8\n'),
    );
    expect(err.message).toMatch(
      new RegExp(
        `^${path}:7: models\\[0\\]\\.output_per_mtk: unknown field \\(expected one of: provider, model, input_per_mtok`,
      ),
    );
  });

  it('YAML syntax error', () => {
    const { path, err } = errorOf('version: 1\nmodels:\n\t- provider: openai\n');
    expect(err.message).toBe(`${path}:3: YAML syntax error: Tabs are not allowed as indentation`);
    expect(err.line).toBe(3);
  });

  it('duplicate keys are a syntax error on their line', () => {
    const { err } = errorOf('version: 1\nversion: 1\n');
    expect(err.line).toBe(2);
  });

  it('JSON syntax error and JSON type error carry lines too', () => {
    expect(errorOf('{\n  "version": 1,\n  "models": [\n}\n', 'json').err.line).toBe(4);
    const { path, err } = errorOf(
      '{\n  "version": 1,\n  "discounts": [\n    {"provider": "openai", "multiplier": "half"}\n  ]\n}\n',
      'json',
    );
    expect(err.message).toBe(
      `${path}:4: discounts[0].multiplier: expected a non-negative number, got "half"`,
    );
  });

  it('empty sections are allowed', () => {
    const p = createPricer({
      pricesFile: file('version: 1\nmodels:\n  # none yet\ndiscounts:\nazure_deployments:\n'),
    });
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'gpt-4o-mini',
        tokens: { input: 1, output: 1 },
      })?.origin,
    ).toBe('catalog');
  });

  it('missing file', () => {
    const path = join(dir, 'nope.yaml');
    expect(() => createPricer({ pricesFile: path })).toThrow(
      new PricesFileError(path, 'file not found'),
    );
  });

  it('missing or wrong version', () => {
    expect(errorOf('models: []\n').err.detail).toBe(
      'missing required field "version" (use `version: 1`)',
    );
    const { path, err } = errorOf('# prices\nversion: 2\n');
    expect(err.message).toBe(`${path}:2: version: expected 1, got 2`);
  });

  it('a model the catalog lacks needs an input price', () => {
    const { path, err } = errorOf(
      'version: 1\nmodels:\n  - provider: ollama\n    model: phi4\n    output_per_mtok: 1\n',
    );
    expect(err.message).toBe(
      `${path}:3: models[0].input_per_mtok: required: "phi4" is not in the price catalog for provider "ollama"`,
    );
  });

  it('entries without any price, duplicates and empty strings', () => {
    expect(
      errorOf('version: 1\nmodels:\n  - provider: openai\n    model: gpt-4o\n').err.message,
    ).toMatch(/:3: models\[0\]: no price given/);
    expect(
      errorOf(
        'version: 1\nmodels:\n  - {provider: openai, model: gpt-4o, input_per_mtok: 1}\n  - {provider: openai, model: GPT-4o, input_per_mtok: 2}\n',
      ).err.message,
    ).toMatch(/:4: models\[1\]\.model: duplicate entry for openai\/gpt-4o$/);
    expect(
      errorOf('version: 1\nmodels:\n  - provider: ""\n    model: x\n    input_per_mtok: 1\n').err
        .message,
    ).toMatch(/:3: models\[0\]\.provider: expected a non-empty string, got ""$/);
    expect(errorOf('version: 1\nmodels:\n  provider: openai\n').err.message).toMatch(
      /:3: models: expected a list, got a mapping$/,
    );
    expect(errorOf('- 1\n').err.message).toMatch(/:1: expected a mapping, got a list$/);
  });
});

describe('the README', () => {
  it('documents a prices file that loads, and the example cost it shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toContain('version: 1');
    const p = createPricer({ pricesFile: file(yaml ?? '') });
    expect(
      p.priceModelCall({
        provider: 'azure.ai.openai',
        model: 'prod-chat',
        tokens: { input: 10, output: 0 },
      })?.pricingModel,
    ).toBe('gpt-4o-mini');
    expect(
      p.priceVectorOperation({ dbSystem: 'pgvector', operation: 'query', vectors: 10 })?.totalUsd,
    ).toBe(10 * 0.000001);
    const cost = createPricer().priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      tokens: { input: 1200, output: 350, cacheRead: 200 },
    });
    expect(readme).toContain(`totalUsd: ${cost?.totalUsd}`);
  });
});
