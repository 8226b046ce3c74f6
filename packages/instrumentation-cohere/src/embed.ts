import { type CallSpan, countTextTokens, recordModelUsage } from '@burnrate/core';
import type { CallMeta } from './chat.ts';
import { asRequest } from './request.ts';
import type { ResponseLike } from './types.ts';
import { billedTokens, billedUnits } from './usage.ts';

/** Embed (v1 and v2): billed input tokens, or a local count of the texts (`estimated`). */
export function onEmbedResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as ResponseLike | undefined;
  const req = asRequest(meta.request);
  if (r?.id) call.span.setAttribute('gen_ai.response.id', r.id);
  const reported = billedTokens(billedUnits(r));
  const estimate = (req.texts ?? []).reduce((n, t) => n + countTextTokens(t, req.model), 0);
  recordModelUsage(call.span, {
    provider: meta.provider,
    requestModel: req.model,
    tokens: { input: reported?.input ?? estimate, output: 0 },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}
