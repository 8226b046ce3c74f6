import { describe, expect, it } from 'vitest';
import { brief, exportFixture, exportWriter } from '../../test-support/exports.ts';
import { modelKey } from '../models.ts';
import { parseBedrockCur, parseVertexBilling } from './index.ts';

const write = exportWriter('reconcile-billing-exports');

describe('AWS CUR rows for Amazon Bedrock', () => {
  it('CUR 2.0: the four token usage types, other products and taxes left out', () => {
    const records = parseBedrockCur(exportFixture('bedrock/cur2.csv'));
    expect(records.map(brief)).toEqual([
      {
        day: '2025-03-01',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0 },
        usd: 3,
      },
      {
        day: '2025-03-01',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 0, output: 200_000, cacheRead: 0, cacheWrite: 0 },
        usd: 3,
      },
      {
        day: '2025-03-01',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 0, output: 0, cacheRead: 500_000, cacheWrite: 0 },
        usd: 0.15,
      },
      {
        day: '2025-03-01',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 100_000 },
        usd: 0.38,
      },
    ]);
    expect(records[0]).toMatchObject({
      provider: 'aws.bedrock',
      project: '444455556666',
      apiKey: 'arn:aws:iam::444455556666:role/support-bot',
    });
  });

  it('legacy CUR column names; usage in thousands of tokens per pricing/unit', () => {
    const records = parseBedrockCur(exportFixture('bedrock/legacy-cur.csv'));
    expect(records.map(brief)).toEqual([
      {
        day: '2025-03-02',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 300_000, output: 0, cacheRead: 0, cacheWrite: 0 },
        usd: 0.9,
      },
      {
        day: '2025-03-02',
        model: 'Claude3.5Sonnet',
        charge: null,
        tokens: { input: 0, output: 40_000, cacheRead: 0, cacheWrite: 0 },
        usd: 0.6,
      },
    ]);
  });

  it('the ledger model IDs and the usage types meet on one key', () => {
    for (const id of [
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'Claude3.5Sonnet',
    ]) {
      expect(modelKey('aws.bedrock', id)).toBe('claude35sonnet');
    }
    expect(modelKey('gcp.vertex_ai', 'gemini-2.0-flash-001')).toBe(
      modelKey('gcp.vertex_ai', 'Gemini 2.0 Flash'),
    );
  });

  it('a bad cost names the file, line and column', () => {
    const file = write(
      'bad-cur.csv',
      'line_item_product_code,line_item_usage_start_date,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost\nAmazonBedrock,2025-03-01T00:00:00Z,USE1-Claude3.5Sonnet-input-tokens,10,"3,00"\n',
    );
    expect(() => parseBedrockCur(file)).toThrow(
      `${file}:2: line_item_unblended_cost: expected a number, got "3,00"`,
    );
    const missing = write(
      'no-cost.csv',
      'line_item_product_code,line_item_usage_start_date\nAmazonBedrock,2025-03-01T00:00:00Z\n',
    );
    expect(() => parseBedrockCur(missing)).toThrow(
      `${missing}:1: line_item_usage_type: missing column`,
    );
  });
});

describe('Google Cloud Billing export rows for Vertex AI', () => {
  const expected = [
    {
      day: '2025-03-01',
      model: 'Gemini 2.0 Flash',
      charge: null,
      tokens: { input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0 },
      usd: 0.1,
    },
    {
      day: '2025-03-01',
      model: 'Gemini 2.0 Flash',
      charge: null,
      tokens: { input: 0, output: 250_000, cacheRead: 0, cacheWrite: 0 },
      usd: 0.1,
    },
  ];
  it('newline-delimited JSON as BigQuery extracts it; other services left out', () => {
    const records = parseVertexBilling(exportFixture('vertex/billing-export.jsonl'));
    expect(records.map(brief)).toEqual(expected);
    expect(records[0]).toMatchObject({ provider: 'gcp.vertex_ai', project: 'shop-prod' });
  });

  it('CSV with the nested names flattened', () => {
    expect(parseVertexBilling(exportFixture('vertex/billing-export.csv')).map(brief)).toEqual(
      expected,
    );
  });

  it('a bad row names the file, line and field', () => {
    const file = write(
      'bad.jsonl',
      '{"service":{"description":"Vertex AI"},"sku":{"description":"Gemini 2.0 Flash Text Input - Predictions"},"usage_start_time":"2025-03-01 00:00:00 UTC","currency":"USD","cost":"lots"}\n',
    );
    expect(() => parseVertexBilling(file)).toThrow(
      `${file}:1: cost: expected a number, got "lots"`,
    );
  });
});
