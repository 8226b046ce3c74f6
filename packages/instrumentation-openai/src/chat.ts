import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  chatTally,
  countTally,
  endWithCountedUsage,
  GEN_AI_OPERATION,
  recordModelUsage,
  type TokenCounts,
  type TokenTally,
  textTally,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { CallInfo, OperationHandler } from './operation.ts';
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
  promptTally: (body: unknown, model: string | undefined) => TokenTally,
  injectStreamUsage: () => boolean,
  capField: CapField,
): OperationHandler {
  return {
    operation,
    capField,
    // Budget gates ask synchronously, before the call (counted in this thread).
    promptTokens: (body) => countTally(promptTally(body, asBody(body).model)),
    requestAttributes: commonRequestAttributes,
    // Only a stream reads the setting (and the environment): not every call.
    prepare: (body) =>
      asBody(body).stream === true ? withStreamUsage(body, injectStreamUsage()) : undefined,
    onResult(call, value, info) {
      const model = asBody(info.body).model;
      if (asBody(info.body).stream === true)
        return traceCompletionsStream(call, value, info, model, textOf, promptTally);
      const r = (value ?? {}) as ChatCompletionLike;
      const response: Attributes = {};
      if (r.id) response[ATTR_GEN_AI_RESPONSE_ID] = r.id;
      const reasons: string[] = [];
      for (const c of r.choices ?? []) if (c.finish_reason) reasons.push(c.finish_reason);
      if (reasons.length) response[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = reasons;
      const reported = tokensFromCompletionsUsage(r.usage);
      if (!reported) {
        endWithCountedUsage(
          call,
          {
            provider: info.provider,
            requestModel: model,
            responseModel: r.model,
            attributes: response,
          },
          promptTally(info.body, model),
          textTally((r.choices ?? []).map((c) => textOf(c) ?? '').join(''), r.model ?? model),
        );
        return 'open';
      }
      recordModelUsage(call.span, {
        provider: info.provider,
        requestModel: model,
        responseModel: r.model,
        tokens: reported,
        source: 'usage',
        attributes: response,
      });
      return undefined;
    },
  };
}

/**
 * Apart from `onResult`, which runs on every call: the closure for the prompt's count would give
 * `onResult` a context for what it captures on every call, stream or not.
 */
function traceCompletionsStream(
  call: CallSpan,
  value: unknown,
  info: CallInfo,
  model: string | undefined,
  textOf: TextOf,
  promptTally: (body: unknown, model: string | undefined) => TokenTally,
): 'open' | undefined {
  return traceStream(call, value, completionsAccumulator(info.hideUsageChunk, textOf), {
    provider: info.provider,
    requestModel: model,
    promptTally: () => promptTally(info.body, model),
  });
}

function completionsAccumulator(
  hideUsageChunk: boolean,
  textOf: TextOf,
): StreamAccumulator<ChatCompletionLike> {
  return new CompletionsAccumulator(hideUsageChunk, textOf);
}

/** One per stream: a class, so its methods are shared rather than made per stream. */
class CompletionsAccumulator implements StreamAccumulator<ChatCompletionLike> {
  private model: string | undefined;
  private tokens: TokenCounts | undefined;
  private received = '';
  private readonly hideUsageChunk: boolean;
  private readonly textOf: TextOf;

  constructor(hideUsageChunk: boolean, textOf: TextOf) {
    this.hideUsageChunk = hideUsageChunk;
    this.textOf = textOf;
  }

  onChunk(chunk: ChatCompletionLike): boolean | undefined {
    if (chunk?.model) this.model = chunk.model;
    const choices = chunk?.choices ?? [];
    for (const c of choices) this.received += this.textOf(c) ?? '';
    if (chunk?.usage) {
      this.tokens = tokensFromCompletionsUsage(chunk.usage) ?? this.tokens;
      if (this.hideUsageChunk && choices.length === 0) return false;
    }
    return undefined;
  }

  responseModel(): string | undefined {
    return this.model;
  }

  reportedTokens(): TokenCounts | undefined {
    return this.tokens;
  }

  text(): string {
    return this.received;
  }
}

export function chatHandler(injectStreamUsage: () => boolean): OperationHandler {
  return completionsHandler(
    GEN_AI_OPERATION.CHAT,
    (c) =>
      (c as { message?: { content?: string | null } }).message?.content ??
      c.delta?.content ??
      undefined,
    (body, model) => chatTally(asBody(body).messages ?? [], model),
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
      return textTally(typeof text === 'string' ? text : '', model);
    },
    injectStreamUsage,
    'max_tokens',
  );
}
