import { describe, expect, it } from 'vitest';
import { brief, exportFixture, exportWriter } from '../../test-support/exports.ts';
import { parseAnthropic, parseOpenAi } from './index.ts';

const write = exportWriter('reconcile-api-exports');

describe('OpenAI Usage and Costs API pages', () => {
  it('completions usage: uncached input apart from cached, per day and model, with project and key', () => {
    const records = parseOpenAi(exportFixture('openai/usage-completions.json'));
    expect(records.map(brief)).toEqual([
      {
        day: '2025-03-01',
        model: 'gpt-4o-2024-08-06',
        charge: null,
        tokens: { input: 1_000_000, cacheRead: 200_000, cacheWrite: 0, output: 300_000 },
        usd: null,
      },
      {
        day: '2025-03-01',
        model: 'gpt-4o-mini-2024-07-18',
        charge: null,
        tokens: { input: 2_000_000, cacheRead: 0, cacheWrite: 0, output: 500_000 },
        usd: null,
      },
      {
        day: '2025-03-02',
        model: 'gpt-4o-2024-08-06',
        charge: null,
        tokens: { input: 600_000, cacheRead: 0, cacheWrite: 0, output: 100_000 },
        usd: null,
      },
    ]);
    expect(records[0]).toMatchObject({
      provider: 'openai',
      project: 'proj_shop',
      apiKey: 'key_checkout',
      requests: 2,
    });
  });

  it('embeddings usage has input tokens only', () => {
    const [r] = parseOpenAi(exportFixture('openai/usage-embeddings.json'));
    expect(brief(r).tokens).toEqual({ input: 5_000_000, output: 0, cacheRead: 0, cacheWrite: 0 });
    expect(r.requests).toBe(50);
  });

  it('costs grouped by line item: model and token kind from "<model>, <kind>"', () => {
    const records = parseOpenAi(exportFixture('openai/costs.json'));
    expect(records).toHaveLength(7);
    const day1 = records.filter((r) => r.day === '2025-03-01' && r.model === 'gpt-4o-2024-08-06');
    expect(day1.map((r) => r.usd?.byKind)).toEqual([
      { input: 2.5 },
      { cacheRead: 0.25 },
      { output: 3 },
    ]);
    const total = records.reduce((a, r) => a + (r.usd?.total ?? 0), 0);
    expect(total.toFixed(2)).toBe('8.85');
  });

  it('costs not grouped by line item, and other line items, stay apart from the models', () => {
    const file = write(
      'costs-ungrouped.json',
      JSON.stringify({
        object: 'page',
        data: [
          {
            object: 'bucket',
            start_time: 1740787200,
            end_time: 1740873600,
            results: [
              {
                object: 'organization.costs.result',
                amount: { value: 1.25, currency: 'usd' },
                line_item: null,
                project_id: null,
              },
              {
                object: 'organization.costs.result',
                amount: { value: 0.5, currency: 'usd' },
                line_item: 'web search tool calls',
                project_id: null,
              },
            ],
          },
        ],
      }),
    );
    expect(parseOpenAi(file).map(brief)).toEqual([
      { day: '2025-03-01', model: null, charge: null, tokens: null, usd: 1.25 },
      { day: '2025-03-01', model: null, charge: 'web search tool calls', tokens: null, usd: 0.5 },
    ]);
  });

  it('a bad field: file, line and JSON path', () => {
    const text = JSON.stringify(
      JSON.parse(
        '{"object":"page","data":[{"object":"bucket","start_time":1740787200,"end_time":1740873600,"results":[{"object":"organization.usage.completions.result","input_tokens":"12","output_tokens":1,"num_model_requests":1}]}]}',
      ),
      null,
      2,
    );
    const file = write('bad-usage.json', text);
    const line = text.split('\n').findIndex((l) => l.includes('"input_tokens"')) + 1;
    expect(() => parseOpenAi(file)).toThrow(
      `${file}:${line}: data[0].results[0].input_tokens: expected a whole number of tokens, got "12"`,
    );
    const broken = write('broken.json', '{\n  "object": "page",\n  "data": [\n}');
    expect(() => parseOpenAi(broken)).toThrow(new RegExp(`^${broken}:4: json: not valid JSON`));
    const euro = write(
      'euro.json',
      JSON.stringify({
        data: [
          {
            start_time: 1,
            results: [
              { object: 'organization.costs.result', amount: { value: 1, currency: 'eur' } },
            ],
          },
        ],
      }),
    );
    expect(() => parseOpenAi(euro)).toThrow(
      `${euro}:1: data[0].results[0].amount.currency: "eur": the ledger is in USD`,
    );
  });
});

describe('Anthropic Admin API usage and cost reports', () => {
  it('messages usage: uncached input, cache reads, 5m and 1h cache writes, output', () => {
    const [r] = parseAnthropic(exportFixture('anthropic/usage-messages.json'));
    expect(brief(r)).toEqual({
      day: '2025-03-01',
      model: 'claude-sonnet-4-20250514',
      charge: null,
      tokens: { input: 400_000, cacheRead: 1_000_000, cacheWrite: 100_000, output: 50_000 },
      usd: null,
    });
    expect(r).toMatchObject({
      project: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
      apiKey: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
    });
  });

  it('cost report amounts are cents: "120.00" is $1.20', () => {
    const records = parseAnthropic(exportFixture('anthropic/cost-report.json'));
    expect(records.map((r) => r.usd?.byKind)).toEqual([
      { input: 1.2 },
      { cacheRead: 0.3 },
      { cacheWrite: 0.375 },
      { output: 0.75 },
    ]);
    expect(records.reduce((a, r) => a + (r.usd?.total ?? 0), 0).toFixed(3)).toBe('2.625');
  });

  it('a bad amount names its line and path', () => {
    const text =
      '{"data":[{"starting_at":"2025-03-01T00:00:00Z","ending_at":"2025-03-02T00:00:00Z",\n"results":[{"currency":"USD",\n"amount":"$1.20","model":"claude-sonnet-4-20250514"}]}]}';
    const file = write('bad-cost.json', text);
    expect(() => parseAnthropic(file)).toThrow(
      `${file}:3: data[0].results[0].amount: expected a decimal string of cents like "123.45", got "$1.20"`,
    );
  });
});
