import { type Kind, type ProviderRecord, zeroKinds } from '../types.ts';
import { pagesOf } from './pages.ts';
import { Fields } from './read.ts';

// Anthropic Admin API: GET /v1/organizations/usage_report/messages (token counts) and
// GET /v1/organizations/cost_report (amounts in cents, as decimal strings).

const TOKEN_TYPES: Record<string, Kind> = {
  uncached_input_tokens: 'input',
  output_tokens: 'output',
  cache_read_input_tokens: 'cacheRead',
  'cache_creation.ephemeral_5m_input_tokens': 'cacheWrite',
  'cache_creation.ephemeral_1h_input_tokens': 'cacheWrite',
};

function usageRecord(r: Fields, day: string): ProviderRecord {
  let cacheWrite = 0;
  const creation = r.obj.cache_creation;
  if (creation !== undefined && creation !== null) {
    const c = r.child('cache_creation');
    cacheWrite =
      c.count('ephemeral_5m_input_tokens', true) + c.count('ephemeral_1h_input_tokens', true);
  }
  return {
    day,
    provider: 'anthropic',
    model: r.optString('model'),
    project: r.optString('workspace_id'),
    apiKey: r.optString('api_key_id'),
    tokens: {
      ...zeroKinds(),
      input: r.count('uncached_input_tokens'),
      output: r.count('output_tokens'),
      cacheRead: r.count('cache_read_input_tokens', true),
      cacheWrite,
    },
    requests: null,
    usd: null,
    source: r.source(),
  };
}

function costRecord(r: Fields, day: string): ProviderRecord {
  const amountText = r.string('amount');
  if (!/^-?\d+(\.\d+)?$/.test(amountText)) {
    r.fail('amount', `expected a decimal string of cents like "123.45", got "${amountText}"`);
  }
  const currency = r.string('currency');
  if (currency.toUpperCase() !== 'USD') r.fail('currency', `"${currency}": the ledger is in USD`);
  // "Cost amount in lowest currency units (e.g. cents) as a decimal string".
  const usd = Number(amountText) / 100;
  const costType = r.optString('cost_type');
  const tokenType = r.optString('token_type');
  const kind = tokenType === null ? undefined : TOKEN_TYPES[tokenType];
  if (tokenType !== null && kind === undefined) {
    r.fail('token_type', `"${tokenType}": expected one of ${Object.keys(TOKEN_TYPES).join(', ')}`);
  }
  const charge = costType !== null && costType !== 'tokens' ? costType : undefined;
  return {
    day,
    provider: 'anthropic',
    model: charge ? null : r.optString('model'),
    ...(charge ? { charge } : {}),
    project: r.optString('workspace_id'),
    apiKey: null,
    tokens: null,
    requests: null,
    usd: { total: usd, byKind: kind ? { [kind]: usd } : {} },
    source: r.source(),
  };
}

/** Every result of an Anthropic messages usage report or cost report (a page or pages). */
export function parseAnthropic(file: string): ProviderRecord[] {
  const { doc, pages } = pagesOf(file);
  const out: ProviderRecord[] = [];
  for (const page of pages) {
    const p = Fields.of(doc, page.value, page.path);
    p.array('data').forEach((bucketValue, bi) => {
      const b = Fields.of(doc, bucketValue, [...page.path, 'data', bi]);
      const day = b.day('starting_at');
      b.array('results').forEach((resultValue, ri) => {
        const r = Fields.of(doc, resultValue, [...b.path, 'results', ri]);
        out.push('amount' in r.obj ? costRecord(r, day) : usageRecord(r, day));
      });
    });
  }
  return out;
}
