import { countTextTokens, GEN_AI_OPERATION, recordModelUsage } from '@burnrate/core';
import type { OperationHandler } from './operation.ts';
import { asBody, commonRequestAttributes } from './request.ts';

interface EmbeddingsResponseLike {
  model?: string;
  usage?: { prompt_tokens?: number } | null;
}

function inputTokens(body: unknown, model: string | undefined): number {
  const input = asBody(body).input;
  const texts = Array.isArray(input) ? input : [input];
  let total = 0;
  for (const t of texts) {
    if (typeof t === 'string') total += countTextTokens(t, model);
    else if (Array.isArray(t))
      total += t.length; // already token ids
    else if (typeof t === 'number') total += 1;
  }
  return total;
}

/** Embeddings are model calls too (operation `embeddings`): retrieval cost = embedding + vector DB. */
export const embeddingsHandler: OperationHandler = {
  operation: GEN_AI_OPERATION.EMBEDDINGS,
  promptTokens: (body) => inputTokens(body, asBody(body).model),
  requestAttributes: commonRequestAttributes,
  onResult(call, value, info) {
    const r = (value ?? {}) as EmbeddingsResponseLike;
    const model = asBody(info.body).model;
    const reported = r.usage?.prompt_tokens;
    recordModelUsage(call.span, {
      provider: info.provider,
      requestModel: model,
      responseModel: r.model,
      tokens: {
        input: typeof reported === 'number' ? reported : inputTokens(info.body, model),
        output: 0,
      },
      source: typeof reported === 'number' ? 'usage' : 'estimated',
    });
    return undefined;
  },
};
