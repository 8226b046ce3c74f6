import { ExportError, type Kind, type ProviderRecord, zeroKinds } from '../types.ts';
import { readCsv } from './csv.ts';
import { readText } from './read.ts';

// Google Cloud Billing export to BigQuery, standard usage cost table (gcp_billing_export_v1_*):
// rows as newline-delimited JSON (nested, as `bq extract --destination_format
// NEWLINE_DELIMITED_JSON` writes them) or CSV with the nested names flattened
// (`service.description` or `service_description`).

/** The fields reconcile reads, flattened. */
interface BillingRow {
  get(path: string): unknown;
  line: number;
}

/** "Gemini 2.0 Flash Text Input - Predictions" → model "Gemini 2.0 Flash", kind input. */
const SKU =
  /^(.*?)\s+(?:(cached|cache read)\s+)?(?:(?:text|audio|image|video)\s+)?(input|output)\b/i;

export function parseSku(description: string): { model: string; kind: Kind } | null {
  const m = SKU.exec(description);
  if (!m || m[1] === '') return null;
  const kind: Kind = m[3].toLowerCase() === 'output' ? 'output' : m[2] ? 'cacheRead' : 'input';
  return { model: m[1].replace(/^(online|batch) prediction\s*-\s*/i, '').trim(), kind };
}

/** BigQuery writes "2025-03-01 08:00:00 UTC"; RFC 3339 is accepted too. */
function utcDay(text: string): string | null {
  const t = Date.parse(text.replace(/ UTC$/, 'Z').replace(' ', 'T'));
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

const TOKEN_UNITS = /^(count|tokens?)$/i;

function record(file: string, r: BillingRow): ProviderRecord | null {
  const fail = (field: string, problem: string): never => {
    throw new ExportError(file, r.line, field, problem);
  };
  const str = (field: string): string => {
    const v = r.get(field);
    if (typeof v !== 'string' || v === '')
      fail(field, `expected a string, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const num = (field: string): number => {
    const v = r.get(field);
    const n = typeof v === 'string' && v !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n))
      fail(field, `expected a number, got ${JSON.stringify(v)}`);
    return n as number;
  };
  if (!/vertex ai/i.test(str('service.description'))) return null;
  const day = utcDay(str('usage_start_time')) ?? fail('usage_start_time', 'expected a time');
  const currency = str('currency');
  if (currency !== 'USD') fail('currency', `"${currency}": the ledger is in USD`);
  const cost = num('cost');
  const sku = str('sku.description');
  const parsed = parseSku(sku);
  const unit = r.get('usage.unit');
  const project = r.get('project.id');
  const base = {
    day,
    provider: 'gcp.vertex_ai' as const,
    project: typeof project === 'string' && project !== '' ? project : null,
    apiKey: null,
    requests: null,
    source: `${file}:${r.line}`,
  };
  if (!parsed)
    return { ...base, model: null, charge: sku, tokens: null, usd: { total: cost, byKind: {} } };
  let tokens = null;
  if (typeof unit === 'string' && TOKEN_UNITS.test(unit)) {
    tokens = zeroKinds();
    tokens[parsed.kind] = Math.round(num('usage.amount'));
  }
  return {
    ...base,
    model: parsed.model,
    tokens,
    usd: { total: cost, byKind: { [parsed.kind]: cost } },
  };
}

function jsonRows(file: string, text: string): BillingRow[] {
  const rows: BillingRow[] = [];
  text.split('\n').forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (err) {
      throw new ExportError(file, i + 1, 'json', `not valid JSON (${(err as Error).message})`);
    }
    if (value === null || typeof value !== 'object')
      throw new ExportError(file, i + 1, 'row', 'expected an object');
    rows.push({
      line: i + 1,
      get: (path) =>
        path
          .split('.')
          .reduce<unknown>(
            (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
            value,
          ),
    });
  });
  return rows;
}

/** A flattened CSV column back to its nested name: `sku_description` → `sku.description`. */
function flatColumn(header: string): string {
  return header.replace(/^(service|sku|project|usage)_(description|id|amount|unit)$/, '$1.$2');
}

export function parseVertexBilling(file: string): ProviderRecord[] {
  const csv = /\.csv(\.gz)?$/i.test(file);
  const rows: BillingRow[] = csv
    ? readCsv(file, flatColumn).rows.map((r) => ({ line: r.line, get: (p: string) => r.get(p) }))
    : jsonRows(file, readText(file));
  return rows.map((r) => record(file, r)).filter((r): r is ProviderRecord => r !== null);
}
