import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  countChatTokens,
  countTextTokens,
  GEN_AI_OPERATION,
  recordModelUsage,
  type TokenCounts,
} from '@burnrate/core';
import type { OperationHandler } from './operation.ts';
import { asBody, type CapField, commonRequestAttributes, withStreamUsage } from './request.ts';
import { type StreamAccumulator, traceStream } from './stream.ts';
import type { ChatCompletionLike } from './types.ts';
import { tokensFromCompletionsUsage } from './usage.ts';

type TextOf = (choice: NonNullable<ChatCompletionLike['choices']>[number]) => string | undefined;

/**
 * Chat completions and legacy completions share one response shape: `choices`, `usage` with
 * prompt/completion tokens, and in streams a final usage-only chunk with empty `choices`.
 */
function completionsHandler(
  operation: string,
  textOf: TextOf,
  promptTokens: (body: unknown, model: string | undefined) => number,
  injectStreamUsage: () => boolean,
  capField: CapField,
): OperationHandler {
  return {
    operation,
    capField,
    promptTokens: (body) => promptTokens(body, asBody(body).model),
    requestAttributes: commonRequestAttributes,
    prepare: (body) => withStreamUsage(body, injectStreamUsage()),
    onResult(call, value, info) {
      const model = asBody(info.body).model;
      if (asBody(info.body).stream === true) {
        return traceStream(call, value, completionsAccumulator(info.hideUsageChunk, textOf), {
          provider: info.provider,
          requestModel: model,
          promptTokens: () => promptTokens(info.body, model),
        });
      }
      const r = (value ?? {}) as ChatCompletionLike;
      if (r.id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, r.id);
      const reasons = (r.choices ?? []).map((c) => c.finish_reason).filter((x): x is string => !!x);
      if (reasons.length) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, reasons);
      const reported = tokensFromCompletionsUsage(r.usage);
      recordModelUsage(call.span, {
        provider: info.provider,
        requestModel: model,
        responseModel: r.model,
        tokens: reported ?? {
          input: promptTokens(info.body, model),
          output: countTextTokens(
            (r.choices ?? []).map((c) => textOf(c) ?? '').join(''),
            r.model ?? model,
          ),
        },
        source: reported ? 'usage' : 'estimated',
      });
      return undefined;
    },
  };
}

function completionsAccumulator(
  hideUsageChunk: boolean,
  textOf: TextOf,
): StreamAccumulator<ChatCompletionLike> {
  let model: string | undefined;
  let tokens: TokenCounts | undefined;
  let text = '';
  return {
    onChunk(chunk) {
      if (chunk?.model) model = chunk.model;
      const choices = chunk?.choices ?? [];
      for (const c of choices) text += textOf(c) ?? '';
      if (chunk?.usage) {
        tokens = tokensFromCompletionsUsage(chunk.usage) ?? tokens;
        if (hideUsageChunk && choices.length === 0) return false;
      }
      return undefined;
    },
    responseModel: () => model,
    reportedTokens: () => tokens,
    text: () => text,
  };
}

export function chatHandler(injectStreamUsage: () => boolean): OperationHandler {
  return completionsHandler(
    GEN_AI_OPERATION.CHAT,
    (c) =>
      (c as { message?: { content?: string | null } }).message?.content ??
      c.delta?.content ??
      undefined,
    (body, model) => countChatTokens(asBody(body).messages ?? [], model),
    injectStreamUsage,
    'max_completion_tokens',
  );
}

export function legacyCompletionsHandler(injectStreamUsage: () => boolean): OperationHandler {
  return completionsHandler(
    GEN_AI_OPERATION.TEXT_COMPLETION,
    (c) => c.text,
    (body, model) => {
      const prompt = asBody(body).prompt;
      const text = Array.isArray(prompt)
        ? prompt.filter((p) => typeof p === 'string').join('')
        : prompt;
      return typeof text === 'string' ? countTextTokens(text, model) : 0;
    },
    injectStreamUsage,
    'max_tokens',
  );
}
