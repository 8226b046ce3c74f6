import {
  countTally,
  encodingForModel,
  endWithCountedUsage,
  GEN_AI_OPERATION,
  recordModelUsage,
  type TokenTally,
} from '@burnrate/core';
import type { OperationHandler } from './operation.ts';
import { asBody, commonRequestAttributes } from './request.ts';

interface EmbeddingsResponseLike {
  model?: string;
  usage?: { prompt_tokens?: number } | null;
}

/** The input's tokens as a tally: texts are counted, token-id arrays and numbers are tokens already. */
function inputTally(body: unknown, model: string | undefined): TokenTally {
  const input = asBody(body).input;
  const items = Array.isArray(input) ? input : [input];
  const tally: TokenTally = { encoding: encodingForModel(model), fixed: 0, texts: [] };
  for (const t of items) {
    if (typeof t === 'string') {
      if (t) tally.texts.push(t);
    } else if (Array.isArray(t))
      tally.fixed += t.length; // already token ids
    else if (typeof t === 'number') tally.fixed += 1;
  }
  return tally;
}

/** Embeddings are model calls too (operation `embeddings`): retrieval cost = embedding + vector DB. */
export const embeddingsHandler: OperationHandler = {
  operation: GEN_AI_OPERATION.EMBEDDINGS,
  promptTokens: (body) => countTally(inputTally(body, asBody(body).model)),
  requestAttributes: commonRequestAttributes,
  onResult(call, value, info) {
    const r = (value ?? {}) as EmbeddingsResponseLike;
    const model = asBody(info.body).model;
    const reported = r.usage?.prompt_tokens;
    if (typeof reported !== 'number') {
      endWithCountedUsage(
        call,
        { provider: info.provider, requestModel: model, responseModel: r.model },
        inputTally(info.body, model),
        { encoding: 'o200k_base', fixed: 0, texts: [] },
      );
      return 'open';
    }
    recordModelUsage(call.span, {
      provider: info.provider,
      requestModel: model,
      responseModel: r.model,
      tokens: { input: reported, output: 0 },
      source: 'usage',
    });
    return undefined;
  },
};
