import {
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  contentText,
  countTally,
  endWithCountedUsage,
  GEN_AI_OPERATION,
  recordModelUsage,
  type TokenCounts,
  type TokenTally,
  textTally,
} from '@burnrate/core';
import type { CallInfo, OperationHandler } from './operation.ts';
import { asBody, commonRequestAttributes } from './request.ts';
import { traceStream } from './stream.ts';
import type { ResponseLike, ResponseStreamEvent } from './types.ts';
import { tokensFromResponsesUsage } from './usage.ts';

function promptTally(body: unknown, model: string | undefined): TokenTally {
  const b = asBody(body);
  let text = b.instructions ?? '';
  if (typeof b.input === 'string') text += b.input;
  else if (Array.isArray(b.input)) {
    for (const item of b.input) text += contentText((item as { content?: unknown })?.content);
  }
  return textTally(text, model);
}

/**
 * A Responses stream's record. Apart from `onResult`, which runs on every call: its closures would
 * give `onResult` a context for what they capture on every call, stream or not.
 */
function traceResponsesStream(
  call: CallSpan,
  value: unknown,
  info: CallInfo,
  model: string | undefined,
): 'open' | undefined {
  let responseModel: string | undefined;
  let tokens: TokenCounts | undefined;
  let text = '';
  return traceStream<ResponseStreamEvent>(
    call,
    value,
    {
      onChunk(event) {
        if (event?.type === 'response.output_text.delta' && typeof event.delta === 'string') {
          text += event.delta;
        }
        const r = event?.response;
        if (r?.model) responseModel = r.model;
        if (r?.id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, r.id);
        if (r?.usage) tokens = tokensFromResponsesUsage(r.usage) ?? tokens;
        return undefined;
      },
      responseModel: () => responseModel,
      reportedTokens: () => tokens,
      text: () => text,
    },
    {
      provider: info.provider,
      requestModel: model,
      promptTally: () => promptTally(info.body, model),
    },
  );
}

/** The Responses API: usage on the response, or on the final `response.*` event of a stream. */
export const responsesHandler: OperationHandler = {
  operation: GEN_AI_OPERATION.CHAT,
  capField: 'max_output_tokens',
  promptTokens: (body) => countTally(promptTally(body, asBody(body).model)),
  requestAttributes: commonRequestAttributes,
  onResult(call, value, info) {
    const model = asBody(info.body).model;
    if (asBody(info.body).stream === true) return traceResponsesStream(call, value, info, model);
    const r = (value ?? {}) as ResponseLike & { output_text?: string };
    if (r.id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, r.id);
    const reported = tokensFromResponsesUsage(r.usage);
    if (!reported) {
      endWithCountedUsage(
        call,
        { provider: info.provider, requestModel: model, responseModel: r.model },
        promptTally(info.body, model),
        textTally(r.output_text ?? '', r.model ?? model),
      );
      return 'open';
    }
    recordModelUsage(call.span, {
      provider: info.provider,
      requestModel: model,
      responseModel: r.model,
      tokens: reported,
      source: 'usage',
    });
    return undefined;
  },
};
