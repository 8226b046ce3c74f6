import { countTextTokens, type TokenCounts } from '@burnrate/core';
import type { AnthropicUsage, StreamEvent } from './types.ts';
import { mergeUsage, tokensFromAnthropicUsage } from './usage.ts';

/** What a Messages event stream said about the call, as far as it was read. */
export interface MessageStreamState {
  readonly id: string | undefined;
  readonly model: string | undefined;
  readonly stopReason: string | undefined;
  /** Reported tokens; `estimated` when the stream stopped before `message_delta` gave the final output count. */
  result(
    requestModel: string | undefined,
  ): { tokens: TokenCounts; source: 'usage' | 'estimated' } | undefined;
}

/**
 * Reads the events of an Anthropic Messages stream (the API's, and the same events inside Bedrock's
 * InvokeModelWithResponseStream chunks). `message_start` has the input usage and a placeholder
 * output count; `message_delta` the final output count (and, on newer API versions, final input
 * totals, which replace those of `message_start`).
 */
export class MessageStreamReader implements MessageStreamState {
  id: string | undefined;
  model: string | undefined;
  stopReason: string | undefined;
  #usage: AnthropicUsage | undefined;
  #final = false;
  #text = '';

  onEvent(event: StreamEvent | undefined): void {
    switch (event?.type) {
      case 'message_start':
        this.id = event.message?.id ?? this.id;
        this.model = event.message?.model ?? this.model;
        this.#usage = mergeUsage(this.#usage, event.message?.usage);
        break;
      case 'content_block_delta':
        this.#text += event.delta?.text ?? event.delta?.thinking ?? '';
        break;
      case 'message_delta':
        this.#usage = mergeUsage(this.#usage, event.usage);
        if (event.delta?.stop_reason) this.stopReason = event.delta.stop_reason;
        if (typeof event.usage?.output_tokens === 'number') this.#final = true;
        break;
    }
  }

  result(
    requestModel: string | undefined,
  ): { tokens: TokenCounts; source: 'usage' | 'estimated' } | undefined {
    const tokens = tokensFromAnthropicUsage(this.#usage);
    if (!tokens) return undefined;
    if (this.#final) return { tokens, source: 'usage' };
    // Cut short before message_delta: the input is exact, the output is what arrived, counted locally.
    const counted = countTextTokens(this.#text, this.model ?? requestModel);
    return { tokens: { ...tokens, output: Math.max(tokens.output, counted) }, source: 'estimated' };
  }
}
