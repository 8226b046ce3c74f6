import { type CallSpan, countTextTokens, recordModelUsage } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { CallMeta } from './chat.ts';
import { asRequest } from './request.ts';
import type { ResponseLike } from './types.ts';
import { billedTokens, billedUnits } from './usage.ts';

/** Embed (v1 and v2): billed input tokens, or a local count of the texts (`estimated`). */
export function onEmbedResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as ResponseLike | undefined;
  const req = asRequest(meta.request);
  const reported = billedTokens(billedUnits(r));
  const attributes: Attributes = {};
  if (r?.id) attributes['gen_ai.response.id'] = r.id;
  // The texts are counted locally only when Cohere billed no input tokens.
  let input = reported?.input;
  if (input === undefined) {
    input = 0;
    for (const t of req.texts ?? []) input += countTextTokens(t, req.model);
  }
  recordModelUsage(call.span, {
    attributes,
    provider: meta.provider,
    requestModel: req.model,
    tokens: { input, output: 0 },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}
