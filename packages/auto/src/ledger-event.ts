import type { Pricer, UnitPrices } from '@burnrate/pricing';
import { type Attributes, type AttributeValue, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** The ledger's log record: one per priced or refused call (docs/contract.md, the ledger event). */
export const LEDGER_EVENT_NAME = 'burnrate.ledger.call';

/** A call a budget gate or the breaker refused (it never reached the provider). */
export function isRefused(a: Attributes): boolean {
  return (
    a['burnrate.budget.decision'] === 'block' ||
    a['burnrate.budget.evaluator.decision'] === 'block' ||
    a['burnrate.breaker.mode'] === 'enforce'
  );
}

/** A span the ledger records: Burnrate priced it (or tried to), or a gate refused the call. */
export function isLedgerSpan(a: Attributes): boolean {
  return a['burnrate.cost.source'] !== undefined || isRefused(a);
}

/** HrTime as RFC 3339 UTC with microseconds. */
function rfc3339(t: [number, number]): string {
  const iso = new Date(t[0] * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(Math.floor(t[1] / 1000)).padStart(6, '0')}Z`;
}

/** USD per token → USD per 1M tokens, without the float noise of the multiplication. */
const perMtok = (perToken: number | undefined) =>
  perToken === undefined ? undefined : Number((perToken * 1e6).toPrecision(12));

const str = (v: AttributeValue | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: AttributeValue | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const bool = (v: AttributeValue | undefined) => (typeof v === 'boolean' ? v : undefined);

/** The prices of the catalog entry that priced the call, for its tier (total input tokens). */
function unitPricesOf(
  pricer: Pricer,
  provider: string | undefined,
  model: string | undefined,
  input: number | undefined,
  at: Date,
): Record<string, number | undefined> {
  if (!provider || !model) return {};
  let p: UnitPrices | undefined;
  try {
    p = pricer.unitPrices(provider, model, at);
  } catch {
    return {};
  }
  if (!p) return {};
  let tier: Pick<
    UnitPrices,
    'inputPerToken' | 'outputPerToken' | 'cacheReadPerToken' | 'cacheWritePerToken'
  > = p;
  for (const t of p.tiers ?? []) if (input !== undefined && input > t.aboveInputTokens) tier = t;
  return {
    price_input_per_mtok: perMtok(tier.inputPerToken),
    price_output_per_mtok: perMtok(tier.outputPerToken),
    price_cache_read_per_mtok: perMtok(tier.cacheReadPerToken),
    price_cache_write_per_mtok: perMtok(tier.cacheWritePerToken),
    price_request_usd: p.perRequest,
  };
}

/**
 * The ledger row's fields for one ended span (the event's attributes: the column names of
 * packages/ledger/migrations/0001_ledger.sql; trace and span ids travel in the record's trace
 * context). Values a span lacks are left out (null in the row). Attribution is the call's real
 * value, not the label cap's `other` (the ledger is not a metric label).
 */
export function ledgerAttributes(span: ReadableSpan, pricer: Pricer): Attributes {
  const a = span.attributes;
  const r = span.resource.attributes;
  const refused = isRefused(a);
  const provider =
    str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']) ?? str(a['db.system.name']);
  const requestModel = str(a['gen_ai.request.model']);
  const pricingModel = str(a['burnrate.pricing.model']);
  const input = num(a['gen_ai.usage.input_tokens']) ?? num(a['gen_ai.usage.prompt_tokens']);
  const isModelCall = a['db.system.name'] === undefined;
  const out: Record<string, AttributeValue | undefined> = {
    time: rfc3339(span.endTime),
    start_time: rfc3339(span.startTime),
    duration_ms: hrTimeToMilliseconds(span.duration),
    service: str(r['service.name'] as AttributeValue) ?? 'unknown_service',
    service_instance: str(r['service.instance.id'] as AttributeValue),
    environment: str(r['deployment.environment.name'] as AttributeValue),
    team:
      str(a['burnrate.team.original']) ??
      str(a['burnrate.team']) ??
      str(r['burnrate.team'] as AttributeValue),
    endpoint:
      str(a['burnrate.endpoint.original']) ?? str(a['burnrate.endpoint']) ?? str(a['http.route']),
    tenant: str(a['burnrate.tenant.original']) ?? str(a['burnrate.tenant']),
    agent: str(a['gen_ai.agent.name']) ?? str(a['burnrate.agent']),
    tool: str(a['gen_ai.tool.name']) ?? str(a['burnrate.tool']),
    run_id: str(a['burnrate.run.id']),
    session_id: str(a['gen_ai.conversation.id']) ?? str(a['session.id']),
    provider,
    operation: str(a['gen_ai.operation.name']) ?? str(a['db.operation.name']),
    request_model: requestModel,
    response_model: str(a['gen_ai.response.model']),
    pricing_model: pricingModel,
    catalog_version: str(a['burnrate.pricing.catalog']),
    input_tokens: input,
    output_tokens: num(a['gen_ai.usage.output_tokens']) ?? num(a['gen_ai.usage.completion_tokens']),
    cache_read_tokens: num(a['gen_ai.usage.cache_read.input_tokens']),
    cache_write_tokens: num(a['gen_ai.usage.cache_creation.input_tokens']),
    reasoning_tokens: num(a['gen_ai.usage.reasoning.output_tokens']),
    batch_factor: num(a['burnrate.pricing.batch_factor']),
    cost_usd: refused ? undefined : num(a['burnrate.cost.usd']),
    cost_input_usd: refused ? undefined : num(a['burnrate.cost.input_usd']),
    cost_output_usd: refused ? undefined : num(a['burnrate.cost.output_usd']),
    cost_cache_read_usd: refused ? undefined : num(a['burnrate.cost.cache_read_usd']),
    cost_cache_write_usd: refused ? undefined : num(a['burnrate.cost.cache_write_usd']),
    cost_request_usd: refused ? undefined : num(a['burnrate.cost.request_usd']),
    cost_source: refused ? 'refused' : (str(a['burnrate.cost.source']) ?? 'unpriced'),
    outcome: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok',
    stream: bool(a['gen_ai.request.stream']),
    stream_abandoned: bool(a['burnrate.stream.abandoned']),
    budget_name: str(a['burnrate.budget.name']) ?? str(a['burnrate.budget.evaluator.budget']),
    budget_decision:
      str(a['burnrate.budget.decision']) ?? str(a['burnrate.budget.evaluator.decision']),
    breaker_kind: str(a['burnrate.breaker.kind']),
    breaker_mode: str(a['burnrate.breaker.mode']),
  };
  if (isModelCall && pricingModel && !refused) {
    const at = new Date(hrTimeToMilliseconds(span.endTime));
    Object.assign(out, unitPricesOf(pricer, provider, pricingModel, input, at));
  }
  const attributes: Attributes = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) attributes[k] = v;
  return attributes;
}
