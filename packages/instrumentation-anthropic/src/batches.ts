import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  costAttributes,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  safely,
  startCallSpan,
  type TokenCounts,
  tokenAttributes,
  wrapStreamInPlace,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { MessageLike } from './types.ts';
import { tokensFromAnthropicUsage } from './usage.ts';

/** Anthropic's Message Batches API bills every token at 50 % of the standard price (its price list). */
export const BATCH_PRICE_FACTOR = 0.5;

const COST_KEYS = [
  'burnrate.cost.usd',
  'burnrate.cost.input_usd',
  'burnrate.cost.output_usd',
  'burnrate.cost.cache_read_usd',
  'burnrate.cost.cache_write_usd',
] as const;

interface BatchResult {
  result?: { type?: string; message?: MessageLike };
}

const add = (a: TokenCounts, b: TokenCounts): TokenCounts => {
  const sum = (x?: number, y?: number) => (x ?? 0) + (y ?? 0) || undefined;
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: sum(a.cacheRead, b.cacheRead),
    cacheWrite: sum(a.cacheWrite, b.cacheWrite),
    cacheWrite1h: sum(a.cacheWrite1h, b.cacheWrite1h),
    reasoning: sum(a.reasoning, b.reasoning),
  };
};

/** Batches already recorded in this process, so reading results again never counts them twice. */
const recorded = new Set<string>();
const RECORDED_LIMIT = 10_000;

/**
 * Wraps the results stream of a Message Batch (`messages.batches.results()`), in place. When the
 * caller has read it to the end, records one span per model with the summed usage of the batch's
 * succeeded requests (`burnrate.batch.requests` of them), priced at the batch price. A batch is
 * recorded once per process; a read stopped early records nothing (the next full read does).
 */
export function traceBatchResults(tracer: Tracer, batchId: string, stream: unknown): void {
  if (typeof stream !== 'object' || stream === null || recorded.has(batchId)) return;
  const byModel = new Map<string, { tokens: TokenCounts; requests: number }>();
  wrapStreamInPlace<BatchResult>(stream, {
    onChunk(item) {
      const m = item?.result?.type === 'succeeded' ? item.result.message : undefined;
      const tokens = tokensFromAnthropicUsage(m?.usage);
      if (!m?.model || !tokens) return undefined;
      const prev = byModel.get(m.model);
      byModel.set(m.model, {
        tokens: prev ? add(prev.tokens, tokens) : tokens,
        requests: (prev?.requests ?? 0) + 1,
      });
      return undefined;
    },
    onEnd(end) {
      if (!end.complete || recorded.has(batchId)) return;
      if (recorded.size >= RECORDED_LIMIT) recorded.clear();
      recorded.add(batchId);
      for (const [model, { tokens, requests }] of byModel) {
        safely('recording batch usage', () =>
          recordBatchSpan(tracer, batchId, model, tokens, requests),
        );
      }
    },
  });
}

function recordBatchSpan(
  tracer: Tracer,
  batchId: string,
  model: string,
  tokens: TokenCounts,
  requests: number,
): void {
  const call = startCallSpan({
    tracer,
    name: `chat ${model}`,
    attributes: {
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.CHAT,
      [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER.ANTHROPIC,
      [ATTR_GEN_AI_REQUEST_MODEL]: model,
      'anthropic.batch.id': batchId,
      'burnrate.batch.requests': requests,
    },
  });
  const attrs: Attributes = { [ATTR_GEN_AI_RESPONSE_MODEL]: model, ...tokenAttributes(tokens) };
  const cost = costAttributes({
    provider: GEN_AI_PROVIDER.ANTHROPIC,
    requestModel: model,
    tokens,
    source: 'usage',
  });
  for (const key of COST_KEYS) {
    const v = cost[key];
    if (typeof v === 'number') cost[key] = v * BATCH_PRICE_FACTOR;
  }
  if (typeof cost['burnrate.cost.usd'] === 'number')
    attrs['burnrate.pricing.batch_factor'] = BATCH_PRICE_FACTOR;
  call.span.setAttributes({ ...attrs, ...cost });
  call.end();
}
