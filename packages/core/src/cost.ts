import {
  getDefaultPricer,
  type Pricer,
  type TokenCounts,
  type VectorOperationPriceInput,
} from '@burnrate/pricing';
import type { Attributes, Span } from '@opentelemetry/api';
import { burnrateLogger, safely } from './fail-open.ts';
import { settleDecisions } from './gate.ts';
import {
  ATTR_BURNRATE_COST_CACHE_READ_USD,
  ATTR_BURNRATE_COST_CACHE_WRITE_USD,
  ATTR_BURNRATE_COST_INPUT_USD,
  ATTR_BURNRATE_COST_OUTPUT_USD,
  ATTR_BURNRATE_COST_REQUEST_USD,
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_PRICING_CATALOG,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_BURNRATE_VECTORDB_READ_UNITS,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_BURNRATE_VECTORDB_WRITE_UNITS,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from './semconv.ts';

export type { TokenCounts };

let pricerOverride: Pricer | undefined;

/** Replaces the pricer every instrumentation uses (tests, or a service with its own config). */
export function setPricer(pricer: Pricer | undefined): void {
  pricerOverride = pricer;
}

export function currentPricer(): Pricer {
  return pricerOverride ?? getDefaultPricer();
}

/** Providers whose pricing has been made ready (bounded: a process calls few providers). */
const warmed = new Set<string>();
const MAX_WARMED = 64;

/**
 * Called as a model call starts: the first call of each provider gets its pricing ready in the
 * background (the catalog file read off the thread, the resolution and arithmetic compiled in
 * short tasks of their own), so the call's end does not read and parse a price table on the event
 * loop. One set lookup per call after that.
 */
export function warmPricing(attributes: Attributes): void {
  const provider = attributes[ATTR_GEN_AI_PROVIDER_NAME];
  if (typeof provider !== 'string' || warmed.has(provider) || warmed.size >= MAX_WARMED) return;
  warmed.add(provider);
  const model = attributes[ATTR_GEN_AI_REQUEST_MODEL];
  if (typeof model !== 'string') return;
  preparePricingLater(provider, model);
}

/**
 * Apart from `warmPricing`, which runs on every call: a function that makes a closure gets a
 * context for what it captures on every call, even when the closure is not made.
 */
function preparePricingLater(provider: string, model: string): void {
  // The default pricer is created (a prices file read) in that task too, not in the call.
  setImmediate(() =>
    safely('preparing pricing', () => {
      currentPricer()
        .prepare?.(provider, model)
        ?.catch(() => {});
    }),
  );
}

export interface ModelUsage {
  provider: string;
  requestModel?: string;
  responseModel?: string;
  /** Undefined when the provider returned no usage and nothing could be counted. */
  tokens?: TokenCounts;
  /** `usage`: the provider reported the tokens; `estimated`: counted locally. */
  source: 'usage' | 'estimated';
  at?: Date;
  /** Other response attributes to set with these, in one `setAttributes` (a fresh object: it is written into). */
  attributes?: Attributes;
}

/** `gen_ai.usage.*` attributes for a token breakdown (input counts every input token). */
export function tokenAttributes(tokens: TokenCounts): Attributes {
  return writeTokenAttributes({}, tokens);
}

function writeTokenAttributes(attrs: Attributes, tokens: TokenCounts): Attributes {
  attrs[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = tokens.input;
  attrs[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = tokens.output;
  if (tokens.cacheRead) attrs[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = tokens.cacheRead;
  const writes = (tokens.cacheWrite ?? 0) + (tokens.cacheWrite1h ?? 0);
  if (writes) attrs[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = writes;
  if (tokens.reasoning) attrs[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = tokens.reasoning;
  return attrs;
}

/**
 * THE pricing function: turns a call's provider, model and token counts into the
 * `burnrate.cost.*` attributes. Every span Burnrate prices (its own instrumentations' and other
 * instrumentations' spans, through the span processor) goes through here, so a call is priced the
 * same whoever recorded it. An unknown price gives `burnrate.cost.source = unpriced` and no cost.
 */
export function costAttributes(usage: ModelUsage, pricer: Pricer = currentPricer()): Attributes {
  const attrs: Attributes = {};
  writeCostAttributes(attrs, usage, pricer);
  return attrs;
}

/** Writes `costAttributes(usage)` into `attrs`; returns the total cost, if priced. */
function writeCostAttributes(
  attrs: Attributes,
  usage: ModelUsage,
  pricer: Pricer,
): number | undefined {
  const model = usage.responseModel || usage.requestModel;
  if (!usage.tokens || !model) {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'unpriced';
    return undefined;
  }
  const cost = pricer.priceModelCall({
    provider: usage.provider,
    model,
    tokens: usage.tokens,
    at: usage.at,
  });
  // A dated response model the catalog does not know yet may still be priced by its request model.
  const priced =
    cost ??
    (usage.requestModel && usage.requestModel !== model
      ? pricer.priceModelCall({
          provider: usage.provider,
          model: usage.requestModel,
          tokens: usage.tokens,
          at: usage.at,
        })
      : undefined);
  if (!priced) {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'unpriced';
    return undefined;
  }
  attrs[ATTR_BURNRATE_COST_SOURCE] = usage.source;
  attrs[ATTR_BURNRATE_COST_USD] = priced.totalUsd;
  attrs[ATTR_BURNRATE_COST_INPUT_USD] = priced.inputUsd;
  attrs[ATTR_BURNRATE_COST_OUTPUT_USD] = priced.outputUsd;
  attrs[ATTR_BURNRATE_COST_CACHE_READ_USD] = priced.cacheReadUsd;
  attrs[ATTR_BURNRATE_COST_CACHE_WRITE_USD] = priced.cacheWriteUsd;
  attrs[ATTR_BURNRATE_PRICING_MODEL] = priced.pricingModel;
  attrs[ATTR_BURNRATE_PRICING_CATALOG] = priced.catalogVersion;
  // A flat per-request fee (Perplexity Sonar): part of the total, shown apart.
  if (priced.requestUsd) attrs[ATTR_BURNRATE_COST_REQUEST_USD] = priced.requestUsd;
  return priced.totalUsd;
}

/** Records a model call's response model, tokens and cost on its span: one attribute map, set once. */
export function recordModelUsage(span: Span, usage: ModelUsage): void {
  const attrs: Attributes = usage.attributes ?? {};
  if (usage.responseModel) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = usage.responseModel;
  if (usage.tokens) writeTokenAttributes(attrs, usage.tokens);
  // A pricing failure must not lose the tokens, or leave the caller's span open: it is `unpriced`.
  let usd: number | undefined;
  try {
    usd = writeCostAttributes(attrs, usage, currentPricer());
  } catch (error) {
    burnrateLogger.warn('pricing failed; telemetry for this call may be incomplete', error);
    for (const key of COST_KEYS) delete attrs[key];
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'unpriced';
    usd = undefined;
  }
  span.setAttributes(attrs);
  settleDecisions(span, usd, usage.tokens);
}

const COST_KEYS = [
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_COST_INPUT_USD,
  ATTR_BURNRATE_COST_OUTPUT_USD,
  ATTR_BURNRATE_COST_CACHE_READ_USD,
  ATTR_BURNRATE_COST_CACHE_WRITE_USD,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_BURNRATE_PRICING_CATALOG,
  ATTR_BURNRATE_COST_REQUEST_USD,
];

/** Records a vector-database operation's vectors, units and cost (or `unpriced`) on its span. */
export function recordVectorOperation(span: Span, op: VectorOperationPriceInput): void {
  const attrs: Attributes = {};
  if (op.vectors !== undefined) attrs[ATTR_BURNRATE_VECTORDB_VECTORS] = op.vectors;
  if (op.readUnits !== undefined) attrs[ATTR_BURNRATE_VECTORDB_READ_UNITS] = op.readUnits;
  if (op.writeUnits !== undefined) attrs[ATTR_BURNRATE_VECTORDB_WRITE_UNITS] = op.writeUnits;
  // No closure per call (`safely` would make one): every vector operation passes here.
  let cost: ReturnType<Pricer['priceVectorOperation']>;
  try {
    cost = currentPricer().priceVectorOperation(op);
  } catch (error) {
    burnrateLogger.warn('pricing failed; telemetry for this call may be incomplete', error);
  }
  if (cost) {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'usage';
    attrs[ATTR_BURNRATE_COST_USD] = cost.totalUsd;
    attrs[ATTR_BURNRATE_PRICING_MODEL] = cost.pricingModel;
    attrs[ATTR_BURNRATE_PRICING_CATALOG] = cost.catalogVersion;
  } else {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'unpriced';
  }
  span.setAttributes(attrs);
}
