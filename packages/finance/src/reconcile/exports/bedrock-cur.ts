import { ExportError, type Kind, type ProviderRecord, zeroKinds } from '../types.ts';
import { type CsvRow, readCsv } from './csv.ts';

// AWS Cost and Usage Report rows for Amazon Bedrock: CUR 2.0 (Data Exports) column names, or the
// legacy CUR's `lineItem/UsageStartDate` style, which is normalised to the CUR 2.0 names.

/** `lineItem/UsageStartDate` → `line_item_usage_start_date`; CUR 2.0 names pass unchanged. */
export function curColumn(header: string): string {
  if (!header.includes('/')) return header;
  return header
    .split('/')
    .map((part, i) =>
      i === 0 || !part.includes(':')
        ? part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
        : part,
    )
    .join('_');
}

/** Token usage types as the Bedrock user guide lists them ("Understanding your CUR data"). */
const USAGE_TYPES: [RegExp, Kind][] = [
  [/-cache-read-input-token-count$/i, 'cacheRead'],
  [/-cache-write-input-token-count$/i, 'cacheWrite'],
  [/-(?:mantle-)?input-tokens(?:-[\w-]+)?$/i, 'input'],
  [/-(?:mantle-)?output-tokens(?:-[\w-]+)?$/i, 'output'],
];

/** `USE1-Claude3.5Sonnet-input-tokens` → model `Claude3.5Sonnet`, kind `input`; null: not tokens. */
export function parseUsageType(usageType: string): { model: string; kind: Kind } | null {
  const rest = usageType.replace(/^[A-Z]{2,4}\d?-/, '');
  for (const [re, kind] of USAGE_TYPES) {
    const m = re.exec(rest);
    if (m && m.index > 0) return { model: rest.slice(0, m.index), kind };
  }
  return null;
}

const REQUIRED = [
  'line_item_product_code',
  'line_item_usage_start_date',
  'line_item_usage_type',
  'line_item_usage_amount',
  'line_item_unblended_cost',
];

const LINE_ITEM_TYPES = new Set(['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage']);

function tokensPerUnit(pricingUnit: string | undefined): number {
  if (!pricingUnit) return 1;
  if (/1M|million/i.test(pricingUnit)) return 1_000_000;
  if (/1K|1,000|thousand/i.test(pricingUnit)) return 1_000;
  return 1;
}

function record(file: string, r: CsvRow): ProviderRecord | null {
  const need = (column: string): string => {
    const v = r.get(column);
    if (v === undefined) throw new ExportError(file, 1, column, 'missing column');
    return v;
  };
  const fail = (column: string, problem: string): never => {
    throw new ExportError(file, r.line, column, problem);
  };
  if (!need('line_item_product_code').startsWith('AmazonBedrock')) return null;
  const type = r.get('line_item_line_item_type');
  if (type !== undefined && !LINE_ITEM_TYPES.has(type)) return null;
  const startText = need('line_item_usage_start_date');
  const start = Date.parse(startText);
  if (Number.isNaN(start))
    fail('line_item_usage_start_date', `expected a time, got "${startText}"`);
  const amountText = need('line_item_usage_amount');
  const amount = Number(amountText);
  if (amountText === '' || !Number.isFinite(amount) || amount < 0) {
    fail('line_item_usage_amount', `expected a non-negative number, got "${amountText}"`);
  }
  const costText = need('line_item_unblended_cost');
  const cost = Number(costText);
  if (costText === '' || !Number.isFinite(cost)) {
    fail('line_item_unblended_cost', `expected a number, got "${costText}"`);
  }
  const currency = r.get('line_item_currency_code');
  if (currency && currency !== 'USD')
    fail('line_item_currency_code', `"${currency}": the ledger is in USD`);
  const usageType = need('line_item_usage_type');
  const parsed = parseUsageType(usageType);
  const base = {
    day: new Date(start).toISOString().slice(0, 10),
    provider: 'aws.bedrock' as const,
    project: r.get('line_item_usage_account_id') || null,
    apiKey: r.get('line_item_iam_principal') || null,
    requests: null,
    source: `${file}:${r.line}`,
  };
  if (!parsed) {
    return {
      ...base,
      model: null,
      charge: usageType,
      tokens: null,
      usd: { total: cost, byKind: {} },
    };
  }
  const tokens = zeroKinds();
  tokens[parsed.kind] = Math.round(amount * tokensPerUnit(r.get('pricing_unit')));
  return {
    ...base,
    model: parsed.model,
    tokens,
    usd: { total: cost, byKind: { [parsed.kind]: cost } },
  };
}

export function parseBedrockCur(file: string): ProviderRecord[] {
  const { headers, rows } = readCsv(file, curColumn);
  for (const column of REQUIRED) {
    if (!headers.includes(column)) throw new ExportError(file, 1, column, 'missing column');
  }
  return rows.map((r) => record(file, r)).filter((r): r is ProviderRecord => r !== null);
}
