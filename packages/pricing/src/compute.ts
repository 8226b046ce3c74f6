import type { ModelPrice } from '@pydantic/genai-prices';
import type { TokenCounts, UnitPriceTier } from './types.ts';

/** USD per million tokens: a flat price, or context-length tiers chosen by total input tokens. */
export type PriceValue =
  | number
  | { base: number; tiers: readonly { start: number; price: number }[] };

/** The prices Burnrate can apply from a token breakdown, in USD per million tokens. */
export interface TokenPrices {
  input?: PriceValue;
  output?: PriceValue;
  cacheRead?: PriceValue;
  cacheWrite?: PriceValue;
  cacheWrite1h?: PriceValue;
  reasoning?: PriceValue;
  /** USD per thousand requests (catalog `requests_kcount`). */
  requestsPerK?: PriceValue;
  /** The catalog lists the model with no price at all: it is free (e.g. OpenAI moderation, `:free` models). */
  free: boolean;
}

export interface CostParts {
  inputUsd: number;
  outputUsd: number;
  cacheReadUsd: number;
  cacheWriteUsd: number;
  requestUsd: number;
  totalUsd: number;
}

const prepared = new WeakMap<ModelPrice, TokenPrices>();

function priceValue(v: ModelPrice[string]): PriceValue | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  // Same order the catalog's TieredPrices uses: ascending tier starts, the last tier passed wins.
  return { base: v.base, tiers: [...v.tiers].sort((a, b) => a.start - b.start) };
}

/** Maps a catalog ModelPrice onto the keys a token breakdown can use (cached per object). */
export function fromCatalog(p: ModelPrice): TokenPrices {
  let t = prepared.get(p);
  if (!t) {
    t = {
      input: priceValue(p.input_mtok),
      output: priceValue(p.output_mtok),
      cacheRead: priceValue(p.cache_read_mtok),
      cacheWrite: priceValue(p.cache_write_mtok),
      cacheWrite1h: priceValue(p.cache_write_1h_mtok),
      reasoning: priceValue(p.output_reasoning_mtok),
      requestsPerK: priceValue(p.requests_kcount),
      free: Object.values(p).every((v) => v === undefined),
    };
    prepared.set(p, t);
  }
  return t;
}

/** The price in force for a call with `totalInput` input tokens (tier starts are exclusive, as in the catalog). */
export function at(v: PriceValue, totalInput: number): number {
  if (typeof v === 'number') return v;
  let price = v.base;
  for (const tier of v.tiers) if (totalInput > tier.start) price = tier.price;
  return price;
}

function count(n: number | undefined): number | undefined {
  if (n === undefined) return 0;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** tokens x USD-per-million, the one formula every part uses. */
function usd(tokens: number, perMillion: number): number {
  return tokens === 0 ? 0 : (tokens * perMillion) / 1_000_000;
}

/**
 * Prices a token breakdown, each token once. Returns undefined when a token kind that occurred has
 * no price to apply (never a silent 0), or when a count is not a finite non-negative number.
 */
export function computeCost(
  p: TokenPrices,
  tokens: TokenCounts,
  multiplier = 1,
): CostParts | undefined {
  const input = count(tokens.input);
  const output = count(tokens.output);
  const cacheRead = count(tokens.cacheRead);
  const cacheWrite = count(tokens.cacheWrite);
  const cacheWrite1h = count(tokens.cacheWrite1h);
  const reasoning = count(tokens.reasoning);
  if (
    input === undefined ||
    output === undefined ||
    cacheRead === undefined ||
    cacheWrite === undefined ||
    cacheWrite1h === undefined ||
    reasoning === undefined
  ) {
    return undefined;
  }
  if (p.free)
    return {
      inputUsd: 0,
      outputUsd: 0,
      cacheReadUsd: 0,
      cacheWriteUsd: 0,
      requestUsd: 0,
      totalUsd: 0,
    };
  // Cache counts are subsets of input (OTel GenAI semconv); a client that reports more cached than
  // total input has not added them in, so nothing is left to price as uncached input.
  const uncached = Math.max(0, input - cacheRead - cacheWrite - cacheWrite1h);
  const needsInput =
    uncached > 0 ||
    (cacheRead > 0 && p.cacheRead === undefined) ||
    (cacheWrite > 0 && p.cacheWrite === undefined) ||
    (cacheWrite1h > 0 && p.cacheWrite1h === undefined);
  if (needsInput && p.input === undefined) return undefined;
  if (output > 0 && p.output === undefined) return undefined;
  // Context-length tiers are chosen by ALL input tokens of the call, as the catalog defines them.
  const inputPrice = p.input === undefined ? 0 : at(p.input, input);

  const inputUsd = usd(uncached, inputPrice);
  // No cache-read price in the catalog means the provider bills cache reads as ordinary input
  // (genai-prices does the same): price them at the input price, never at 0.
  const cacheReadUsd = usd(
    cacheRead,
    p.cacheRead === undefined ? inputPrice : at(p.cacheRead, input),
  );
  // No cache-write price: the writes are billed as ordinary input (again as genai-prices does).
  const writePrice = p.cacheWrite === undefined ? inputPrice : at(p.cacheWrite, input);
  // 1-hour writes: the catalog's 1h price where it has one; otherwise 2x the base input price, as
  // Anthropic publishes: "1-hour cache write tokens are 2 times the base input tokens price"
  // (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#pricing).
  const write1hPrice = p.cacheWrite1h === undefined ? 2 * inputPrice : at(p.cacheWrite1h, input);
  const cacheWriteUsd = usd(cacheWrite, writePrice) + usd(cacheWrite1h, write1hPrice);

  const outputPrice = p.output === undefined ? 0 : at(p.output, input);
  let outputUsd: number;
  if (p.reasoning === undefined) {
    outputUsd = usd(output, outputPrice);
  } else {
    const r = Math.min(reasoning, output);
    outputUsd = usd(output - r, outputPrice) + usd(r, at(p.reasoning, input));
  }
  const requestUsd = p.requestsPerK === undefined ? 0 : at(p.requestsPerK, input) / 1000;

  const i = inputUsd * multiplier;
  const o = outputUsd * multiplier;
  const cr = cacheReadUsd * multiplier;
  const cw = cacheWriteUsd * multiplier;
  const rq = requestUsd * multiplier;
  return {
    inputUsd: i,
    outputUsd: o,
    cacheReadUsd: cr,
    cacheWriteUsd: cw,
    requestUsd: rq,
    totalUsd: i + o + cr + cw + rq,
  };
}

/** Per-token unit prices (base tier, then dearer tiers) for budget reservations. */
export function unitPricesOf(p: TokenPrices, multiplier = 1) {
  const perToken = (v: PriceValue | undefined, total: number) =>
    v === undefined ? undefined : (at(v, total) * multiplier) / 1_000_000;
  const starts = new Set<number>();
  for (const v of [p.input, p.output, p.cacheRead, p.cacheWrite]) {
    if (v !== undefined && typeof v !== 'number') for (const t of v.tiers) starts.add(t.start);
  }
  const base = {
    inputPerToken: perToken(p.input, 0) ?? 0,
    outputPerToken: perToken(p.output, 0) ?? 0,
    cacheReadPerToken: perToken(p.cacheRead, 0),
    cacheWritePerToken: perToken(p.cacheWrite, 0),
  };
  const tiers: UnitPriceTier[] = [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const tier: UnitPriceTier = {
        aboveInputTokens: start,
        inputPerToken: perToken(p.input, start + 1) ?? 0,
        outputPerToken: perToken(p.output, start + 1) ?? 0,
      };
      const read = perToken(p.cacheRead, start + 1);
      const write = perToken(p.cacheWrite, start + 1);
      if (read !== undefined) tier.cacheReadPerToken = read;
      if (write !== undefined) tier.cacheWritePerToken = write;
      return tier;
    });
  const perRequest =
    p.requestsPerK === undefined ? undefined : (at(p.requestsPerK, 0) * multiplier) / 1000;
  return { base, tiers, perRequest };
}
