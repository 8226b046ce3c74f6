import type { Attrs, AttrValue, SpanSpec } from './spans.ts';

/**
 * What the Collector should turn spans into: the same label precedence and span selection
 * as collector/otelcol.yaml, written out in TypeScript so tests can compare Prometheus with
 * the spans that were sent.
 */
export type Series = Map<string, { labels: Record<string, string>; value: number }>;
export type ExpectedMetrics = Record<
  | 'burnrate_llm_cost_usd_total'
  | 'burnrate_llm_tokens_total'
  | 'burnrate_llm_requests_total'
  | 'burnrate_vectordb_operations_total'
  | 'burnrate_vectordb_cost_usd_total',
  Series
>;

function str(v: AttrValue | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  return String(v);
}

/** The attribution and dimension labels of one span (before token_type/outcome/cost_source). */
export function baseLabels(span: SpanSpec): Record<string, string> {
  const a = span.attributes;
  const r = span.resource;
  return {
    service: str(r['service.name']) ?? 'unknown_service',
    environment: str(r['deployment.environment.name']) ?? 'unknown',
    team: str(a['burnrate.team']) ?? str(r['burnrate.team']) ?? 'unassigned',
    endpoint: str(a['burnrate.endpoint']) ?? str(a['http.route']) ?? 'unassigned',
    tenant: str(a['burnrate.tenant']) ?? 'unassigned',
    agent: str(a['burnrate.agent']) ?? str(a['gen_ai.agent.name']) ?? 'unassigned',
  };
}

export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function add(series: Series, labels: Record<string, string>, value: number): void {
  const key = seriesKey(labels);
  const prev = series.get(key);
  if (prev) prev.value += value;
  else series.set(key, { labels, value });
}

const TOKEN_TYPES: [string, string][] = [
  ['input', 'gen_ai.usage.input_tokens'],
  ['output', 'gen_ai.usage.output_tokens'],
  ['cache_read', 'gen_ai.usage.cache_read.input_tokens'],
  ['cache_write', 'gen_ai.usage.cache_creation.input_tokens'],
  ['reasoning', 'gen_ai.usage.reasoning.output_tokens'],
];

export function expectedMetrics(spans: SpanSpec[]): ExpectedMetrics {
  const out: ExpectedMetrics = {
    burnrate_llm_cost_usd_total: new Map(),
    burnrate_llm_tokens_total: new Map(),
    burnrate_llm_requests_total: new Map(),
    burnrate_vectordb_operations_total: new Map(),
    burnrate_vectordb_cost_usd_total: new Map(),
  };
  for (const span of spans) {
    const a: Attrs = span.attributes;
    if (a['burnrate.cost.source'] === undefined) continue; // not priced by Burnrate
    const base = baseLabels(span);
    const cost = a['burnrate.cost.usd'];
    if (a['gen_ai.operation.name'] !== undefined) {
      const labels = {
        ...base,
        provider: str(a['gen_ai.provider.name']) ?? 'unknown',
        model: str(a['gen_ai.request.model']) ?? str(a['gen_ai.response.model']) ?? 'unknown',
        operation: String(a['gen_ai.operation.name']),
      };
      if (cost !== undefined) add(out.burnrate_llm_cost_usd_total, labels, Number(cost));
      for (const [type, key] of TOKEN_TYPES) {
        if (a[key] === undefined) continue;
        add(out.burnrate_llm_tokens_total, { ...labels, token_type: type }, Number(a[key]));
      }
      add(
        out.burnrate_llm_requests_total,
        {
          ...labels,
          outcome: span.status === 'error' ? 'error' : 'ok',
          cost_source: String(a['burnrate.cost.source']),
        },
        1,
      );
    }
    if (a['db.system.name'] !== undefined) {
      const labels = {
        ...base,
        db_system: String(a['db.system.name']),
        operation: str(a['gen_ai.operation.name']) ?? str(a['db.operation.name']) ?? 'unknown',
      };
      add(out.burnrate_vectordb_operations_total, labels, 1);
      if (cost !== undefined) add(out.burnrate_vectordb_cost_usd_total, labels, Number(cost));
    }
  }
  return out;
}

/** Sums a Series by some labels (like PromQL `sum by (...)`). */
export function sumBy(series: Series, by: string[]): Series {
  const out: Series = new Map();
  for (const { labels, value } of series.values()) {
    const picked: Record<string, string> = {};
    for (const k of by) if (labels[k] !== undefined) picked[k] = labels[k];
    add(out, picked, value);
  }
  return out;
}

export function total(series: Series): number {
  let t = 0;
  for (const { value } of series.values()) t += value;
  return t;
}
