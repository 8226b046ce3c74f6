import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_PRICING_CATALOG,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { CallMeta } from './chat.ts';
import { asRequest } from './request.ts';
import { rerankPrice } from './rerank-prices.ts';
import type { ResponseLike } from './types.ts';
import { billedUnits, searchUnits } from './usage.ts';

/** Search units Cohere billed for a rerank call. */
export const ATTR_COHERE_SEARCH_UNITS = 'cohere.billed_units.search_units';

/**
 * Rerank is billed per search unit, not per token: cost = search units x the model's price per
 * search unit. A call whose model has no known price, or whose response reports no search units,
 * is `unpriced` (no cost attribute, never 0).
 */
export function onRerankResult(
  call: CallSpan,
  value: unknown,
  meta: CallMeta & { prices: Readonly<Record<string, number>> | undefined },
): undefined {
  const r = (value ?? undefined) as ResponseLike | undefined;
  const model = asRequest(meta.request).model;
  const units = searchUnits(billedUnits(r));
  const attrs: Attributes = {};
  if (r?.id) attrs[ATTR_GEN_AI_RESPONSE_ID] = r.id;
  if (units !== undefined) attrs[ATTR_COHERE_SEARCH_UNITS] = units;
  const price = rerankPrice(model, meta.prices);
  if (units !== undefined && price) {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'usage';
    attrs[ATTR_BURNRATE_COST_USD] = (units * price.usdPer1k) / 1000;
    attrs[ATTR_BURNRATE_PRICING_MODEL] = price.pricingModel;
    attrs[ATTR_BURNRATE_PRICING_CATALOG] = price.catalogVersion;
  } else {
    attrs[ATTR_BURNRATE_COST_SOURCE] = 'unpriced';
  }
  call.span.setAttributes(attrs);
  return undefined;
}
