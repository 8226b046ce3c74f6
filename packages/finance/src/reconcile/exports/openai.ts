import { type ByKind, type Kind, type ProviderRecord, zeroKinds } from '../types.ts';
import { pagesOf } from './pages.ts';
import { Fields } from './read.ts';

// OpenAI organization Usage API (GET /v1/organization/usage/completions, /embeddings) and
// Costs API (GET /v1/organization/costs): pages of buckets, each with `results`.

const USAGE_OBJECTS = new Set([
  'organization.usage.completions.result',
  'organization.usage.embeddings.result',
]);
const COSTS_OBJECT = 'organization.costs.result';

/** Costs line items grouped by `line_item` read "<model>, <kind>", e.g. "gpt-4o-2024-08-06, input". */
const LINE_ITEM = /^(.+?),\s*(input|output|cached input|cached_input)$/i;

function lineItemKind(kind: string): Kind {
  const k = kind.toLowerCase();
  return k === 'output' ? 'output' : k.startsWith('cached') ? 'cacheRead' : 'input';
}

function usageRecord(r: Fields, day: string): ProviderRecord {
  const input = r.count('input_tokens');
  const cached = r.count('input_cached_tokens', true);
  if (cached > input)
    r.fail('input_cached_tokens', `${cached} cached tokens exceed input_tokens ${input}`);
  const tokens: ByKind = { ...zeroKinds(), input: input - cached, cacheRead: cached };
  if (r.obj.object === 'organization.usage.completions.result')
    tokens.output = r.count('output_tokens');
  return {
    day,
    provider: 'openai',
    model: r.optString('model'),
    project: r.optString('project_id'),
    apiKey: r.optString('api_key_id'),
    tokens,
    requests: r.count('num_model_requests'),
    usd: null,
    source: r.source(),
  };
}

function costRecord(r: Fields, day: string): ProviderRecord {
  const amount = r.child('amount');
  const value = amount.number('value');
  const currency = amount.string('currency');
  if (currency.toLowerCase() !== 'usd') {
    amount.fail('currency', `"${currency}": the ledger is in USD; export the costs in USD`);
  }
  const lineItem = r.optString('line_item');
  const m = lineItem === null ? null : LINE_ITEM.exec(lineItem);
  const base = {
    day,
    provider: 'openai' as const,
    project: r.optString('project_id'),
    apiKey: null,
    tokens: null,
    requests: null,
    source: r.source(),
  };
  if (m) {
    return {
      ...base,
      model: m[1],
      usd: { total: value, byKind: { [lineItemKind(m[2])]: value } },
    };
  }
  // Not grouped by line item (one total a bucket), or a line item that is not a model's tokens.
  return {
    ...base,
    model: null,
    ...(lineItem === null ? {} : { charge: lineItem }),
    usd: { total: value, byKind: {} },
  };
}

/** Every result of an OpenAI usage or costs export (one page, or an array of pages). */
export function parseOpenAi(file: string): ProviderRecord[] {
  const { doc, pages } = pagesOf(file);
  const out: ProviderRecord[] = [];
  for (const page of pages) {
    const p = Fields.of(doc, page.value, page.path);
    p.array('data').forEach((bucketValue, bi) => {
      const b = Fields.of(doc, bucketValue, [...page.path, 'data', bi]);
      const start = b.number('start_time');
      const day = new Date(start * 1000).toISOString().slice(0, 10);
      b.array('results').forEach((resultValue, ri) => {
        const r = Fields.of(doc, resultValue, [...b.path, 'results', ri]);
        const object = r.string('object');
        if (USAGE_OBJECTS.has(object)) out.push(usageRecord(r, day));
        else if (object === COSTS_OBJECT) out.push(costRecord(r, day));
        else
          r.fail('object', `"${object}": expected ${[...USAGE_OBJECTS, COSTS_OBJECT].join(', ')}`);
      });
    });
  }
  return out;
}
