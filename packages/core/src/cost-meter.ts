import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { type LlmSeries, LlmSeriesIndex } from './cost-series.ts';
import { burnrateLogger, safely } from './fail-open.ts';
import {
  ATTR_BURNRATE_AGENT,
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_METERED,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_TENANT,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
} from './semconv.ts';

/**
 * The money kept in the process as cumulative counters, so no Collector restart or outage can
 * lose it: each export carries the whole total since the process started, and the next export
 * after an outage brings back everything the outage missed. Spans counted here get
 * `burnrate.metered = true`, and the Collector counts only spans without it (one source of truth
 * per call). Labels are made exactly as collector/otelcol.yaml makes them from a span.
 */

/** The largest cost one call may carry; above it the value is not a price (same bound as the Collector). */
export const MAX_CALL_COST_USD = 1_000_000;
const MAX_TOKENS = 2 ** 53;

export const TOKEN_TYPES = [
  ['input', ATTR_GEN_AI_USAGE_INPUT_TOKENS],
  ['output', ATTR_GEN_AI_USAGE_OUTPUT_TOKENS],
  ['cache_read', ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS],
  ['cache_write', ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS],
  ['reasoning', ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS],
] as const;

/** One cumulative series: its labels and its total since the process started. */
export interface MeteredPoint {
  readonly attributes: Readonly<Record<string, string>>;
  value: number;
}

/**
 * Cumulative sums by label set. Adding is a Map lookup by the label values joined. The meter's
 * per-span path takes no closure for the labels: a function that makes one (even on a branch not
 * taken) gets its captured variables in a context allocated on every call.
 */
export class CumulativeSums {
  readonly #points = new Map<string, MeteredPoint>();
  add(key: string, attributes: () => Record<string, string>, value: number): void {
    const p = this.#points.get(key);
    if (p) p.value += value;
    else this.addTo(key, attributes(), value);
  }
  /** The series' point, if it has one. */
  get(key: string): MeteredPoint | undefined {
    return this.#points.get(key);
  }
  /**
   * Adds `value` to the series of `key`, made with `attributes` if new, and returns its point (the
   * meter keeps it to add without a key).
   */
  addTo(key: string, attributes: Record<string, string>, value: number): MeteredPoint {
    const p = this.#points.get(key);
    if (p) {
      p.value += value;
      return p;
    }
    const made = { attributes, value };
    this.#points.set(key, made);
    return made;
  }
  points(): IterableIterator<MeteredPoint> {
    return this.#points.values();
  }
  get size(): number {
    return this.#points.size;
  }
}

/** The metrics the Collector would make from the spans, by their OTLP names. */
export interface MeteredMetrics {
  'burnrate.llm.cost.usd': CumulativeSums;
  'burnrate.llm.tokens': CumulativeSums;
  'burnrate.llm.requests': CumulativeSums;
  'burnrate.vectordb.operations': CumulativeSums;
  'burnrate.vectordb.cost.usd': CumulativeSums;
}

/** The parts of an SDK span the meter reads and writes (structural: any SDK 2.x/3.x span). */
export interface MeteredSpan {
  readonly attributes: Attributes;
  readonly status: { code: number };
  readonly resource?: { readonly attributes: Attributes };
  setAttribute(key: string, value: AttributeValue): unknown;
}

const STATUS_ERROR = 2;

/** A label value as the Collector's transform makes it: absent and empty strings fall back. */
function text(v: AttributeValue | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

function validCost(v: AttributeValue | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_CALL_COST_USD;
}

function validTokens(v: AttributeValue | undefined): boolean {
  return (
    v === undefined || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_TOKENS)
  );
}

const NO_ATTRIBUTES: Attributes = {};

export class CostMeter {
  /** LLM label sets seen, with their points. */
  readonly #series = new LlmSeriesIndex();

  readonly metrics: MeteredMetrics = {
    'burnrate.llm.cost.usd': new CumulativeSums(),
    'burnrate.llm.tokens': new CumulativeSums(),
    'burnrate.llm.requests': new CumulativeSums(),
    'burnrate.vectordb.operations': new CumulativeSums(),
    'burnrate.vectordb.cost.usd': new CumulativeSums(),
  };

  /** Spans the process could not deliver, and their dollars: `metered` says whether those dollars
   * are still in the totals above (true) or lost with the span (false). */
  readonly dropped = {
    'burnrate.sdk.dropped.spans': new CumulativeSums(),
    'burnrate.sdk.dropped.cost.usd': new CumulativeSums(),
  };

  recordDropped(spans: readonly MeteredSpan[], reason: 'export_failed' | 'queue_full'): void {
    safely('cost meter: dropped spans', () => {
      for (const span of spans) {
        const r = span.resource?.attributes ?? {};
        const service = text(r[ATTR_SERVICE_NAME]) ?? 'unknown_service';
        const environment = text(r[ATTR_DEPLOYMENT_ENVIRONMENT_NAME]) ?? 'unknown';
        const metered = span.attributes[ATTR_BURNRATE_METERED] === true ? 'true' : 'false';
        const key = `${service}\0${environment}\0${reason}\0${metered}`;
        const labels = () => ({ service, environment, reason, metered });
        this.dropped['burnrate.sdk.dropped.spans'].add(key, labels, 1);
        const cost = span.attributes[ATTR_BURNRATE_COST_USD];
        if (validCost(cost)) this.dropped['burnrate.sdk.dropped.cost.usd'].add(key, labels, cost);
      }
    });
  }

  /**
   * Counts a finished span if Burnrate priced it (or tried to) and marks it metered. A span with a
   * cost or token count that is not a valid number is left to the Collector, which drops and
   * counts it as invalid. Returns whether the span was counted.
   */
  record(span: MeteredSpan): boolean {
    const a = span.attributes;
    const source = a[ATTR_BURNRATE_COST_SOURCE];
    if (source === undefined || a[ATTR_BURNRATE_METERED] !== undefined) return false;
    const operation = text(a[ATTR_GEN_AI_OPERATION_NAME]);
    const dbSystem = text(a[ATTR_DB_SYSTEM_NAME]);
    if (operation === undefined && dbSystem === undefined) return false;
    const cost = a[ATTR_BURNRATE_COST_USD];
    if (cost !== undefined && !validCost(cost)) return false;
    // Each count read once, by a constant key: a key from TOKEN_TYPES made every read a
    // megamorphic keyed load (about 1.7 k instructions a span for ten of them, callgrind).
    const input = a[ATTR_GEN_AI_USAGE_INPUT_TOKENS];
    const output = a[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS];
    const cacheRead = a[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS];
    const cacheWrite = a[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS];
    const reasoning = a[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS];
    if (
      operation !== undefined &&
      !(
        validTokens(input) &&
        validTokens(output) &&
        validTokens(cacheRead) &&
        validTokens(cacheWrite) &&
        validTokens(reasoning)
      )
    )
      return false;

    const r = span.resource?.attributes ?? NO_ATTRIBUTES;
    const service = text(r[ATTR_SERVICE_NAME]) ?? 'unknown_service';
    const environment = text(r[ATTR_DEPLOYMENT_ENVIRONMENT_NAME]) ?? 'unknown';
    const team = text(a[ATTR_BURNRATE_TEAM]) ?? text(r[ATTR_BURNRATE_TEAM]) ?? 'unassigned';
    const endpoint = text(a[ATTR_BURNRATE_ENDPOINT]) ?? text(a[ATTR_HTTP_ROUTE]) ?? 'unassigned';
    const tenant = text(a[ATTR_BURNRATE_TENANT]) ?? 'unassigned';
    const agent = text(a[ATTR_BURNRATE_AGENT]) ?? text(a[ATTR_GEN_AI_AGENT_NAME]) ?? 'unassigned';
    const op = operation ?? text(a[ATTR_DB_OPERATION_NAME]) ?? 'unknown';

    if (operation !== undefined) {
      const provider = text(a[ATTR_GEN_AI_PROVIDER_NAME]) ?? 'unknown';
      const model =
        text(a[ATTR_GEN_AI_REQUEST_MODEL]) ?? text(a[ATTR_GEN_AI_RESPONSE_MODEL]) ?? 'unknown';
      const values = [service, environment, team, endpoint, tenant, agent, op, provider, model];
      const s = this.#series.get(values);
      const m = this.metrics;
      if (cost !== undefined) {
        if (s.cost) s.cost.value += cost;
        else s.cost = m['burnrate.llm.cost.usd'].addTo(s.key, { ...s.labels }, cost);
      }
      // In TOKEN_TYPES' order.
      if (typeof input === 'number') this.#addTokens(s, 0, input);
      if (typeof output === 'number') this.#addTokens(s, 1, output);
      if (typeof cacheRead === 'number') this.#addTokens(s, 2, cacheRead);
      if (typeof cacheWrite === 'number') this.#addTokens(s, 3, cacheWrite);
      if (typeof reasoning === 'number') this.#addTokens(s, 4, reasoning);
      const outcome = span.status.code === STATUS_ERROR ? 'error' : 'ok';
      const costSource = text(source) ?? 'unknown';
      const byOutcome = outcome === 'ok' ? s.ok : s.error;
      const p = byOutcome.get(costSource);
      if (p) p.value += 1;
      else
        byOutcome.set(
          costSource,
          m['burnrate.llm.requests'].addTo(
            `${s.key}\0${outcome}\0${costSource}`,
            { ...s.labels, outcome, cost_source: costSource },
            1,
          ),
        );
    } else {
      const system = dbSystem ?? 'unknown';
      const key = `${service}\0${environment}\0${team}\0${endpoint}\0${tenant}\0${agent}\0${op}\0${system}`;
      const ops = this.metrics['burnrate.vectordb.operations'];
      const p = ops.get(key);
      if (p) p.value += 1;
      else
        ops.addTo(
          key,
          vectorLabels(service, environment, team, endpoint, tenant, agent, op, system),
          1,
        );
      if (cost !== undefined) {
        const costs = this.metrics['burnrate.vectordb.cost.usd'];
        const c = costs.get(key);
        if (c) c.value += cost;
        else
          costs.addTo(
            key,
            vectorLabels(service, environment, team, endpoint, tenant, agent, op, system),
            cost,
          );
      }
    }
    span.setAttribute(ATTR_BURNRATE_METERED, true);
    return true;
  }

  /** Adds `n` tokens of `TOKEN_TYPES[i]` to the series' point, made on its first use. */
  #addTokens(s: LlmSeries, i: number, n: number): void {
    const p = s.tokens[i];
    if (p) {
      p.value += n;
      return;
    }
    const type = TOKEN_TYPES[i][0];
    s.tokens[i] = this.metrics['burnrate.llm.tokens'].addTo(
      `${s.key}\0${type}`,
      { ...s.labels, token_type: type },
      n,
    );
  }
}

/** A vector-database series' labels (made once per series, on its first span). */
function vectorLabels(
  service: string,
  environment: string,
  team: string,
  endpoint: string,
  tenant: string,
  agent: string,
  operation: string,
  db_system: string,
): Record<string, string> {
  return { service, environment, team, endpoint, tenant, agent, operation, db_system };
}

/**
 * Span processor that meters priced spans in `onEnding` (after Burnrate's span processor priced
 * them, while the span can still be written). Put it after `BurnrateSpanProcessor` and before the
 * exporting processor, and only where the meter's totals are exported to the same Collector.
 */
export class CostMeterSpanProcessor {
  readonly meter: CostMeter;
  constructor(meter: CostMeter) {
    this.meter = meter;
  }
  onStart(): void {}
  onEnding(span: MeteredSpan): void {
    // Every span of the service passes here: no closure per span.
    try {
      this.meter.record(span);
    } catch (error) {
      burnrateLogger.warn('cost meter failed; telemetry for this call may be incomplete', error);
    }
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
