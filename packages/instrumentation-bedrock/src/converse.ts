import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  type CallSpan,
  type ChatMessageLike,
  contentText,
  countChatTokens,
  countTextTokens,
  GEN_AI_PROVIDER,
  recordError,
  recordModelUsage,
  type StreamEnd,
  type StreamHooks,
  type TokenCounts,
  wrapStreamInPlace,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { ConverseUsage, Json } from './types.ts';
import { tokensFromConverseUsage } from './usage.ts';

/** What the result handlers read of a Converse* call (the call's own object: no copy made). */
export interface ConverseInfo {
  readonly modelId: string;
  readonly input: Json;
  readonly signal?: AbortSignal;
}

interface ConverseInputLike {
  messages?: { role?: string; content?: unknown }[];
  system?: unknown;
  inferenceConfig?: { maxTokens?: number; temperature?: number };
}

/** Request attributes of Converse / ConverseStream (never prompt text). */
export function converseRequestAttributes(input: Json): Attributes {
  const cfg = (input as ConverseInputLike).inferenceConfig;
  const attrs: Attributes = {};
  if (typeof cfg?.maxTokens === 'number') attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = cfg.maxTokens;
  if (typeof cfg?.temperature === 'number')
    attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = cfg.temperature;
  return attrs;
}

/** A local count of a Converse request's prompt (for a budget gate, or a response without usage). */
export function promptTokens(input: Json, model: string): number {
  const i = input as ConverseInputLike;
  const messages: ChatMessageLike[] = (i.messages ?? []).map((m) => ({
    role: m.role,
    content: contentText(m.content),
  }));
  const system = contentText(i.system);
  if (system) messages.unshift({ role: 'system', content: system });
  return countChatTokens(messages, model);
}

function record(
  call: CallSpan,
  modelId: string,
  tokens: TokenCounts,
  source: 'usage' | 'estimated',
  stopReason: string | undefined,
): void {
  // The stop reason is set with the usage, in one `setAttributes`.
  const attributes: Attributes = {};
  if (stopReason) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [stopReason];
  recordModelUsage(call.span, {
    attributes,
    provider: GEN_AI_PROVIDER.AWS_BEDROCK,
    requestModel: modelId,
    tokens,
    source,
  });
}

interface ConverseOutputLike {
  stopReason?: string;
  usage?: ConverseUsage;
  output?: { message?: { content?: unknown } };
}

export function onConverseResult(call: CallSpan, value: unknown, info: ConverseInfo): undefined {
  const out = (value ?? {}) as ConverseOutputLike;
  const reported = tokensFromConverseUsage(out.usage);
  const tokens = reported ?? {
    input: promptTokens(info.input, info.modelId),
    output: countTextTokens(contentText(out.output?.message?.content), info.modelId),
  };
  record(call, info.modelId, tokens, reported ? 'usage' : 'estimated', out.stopReason);
  return undefined;
}

interface ConverseStreamEvent {
  contentBlockDelta?: { delta?: { text?: string; reasoningContent?: { text?: string } } };
  messageStop?: { stopReason?: string };
  metadata?: { usage?: ConverseUsage };
}

/** One ConverseStream's reading: state in fields, `onChunk` the one closure (called detached). */
class ConverseStreamReader implements StreamHooks<ConverseStreamEvent> {
  readonly #call: CallSpan;
  // What the end reads of the call (not the call itself, which holds its command while the
  // stream lives).
  readonly #modelId: string;
  readonly #input: Json;
  #usage: ConverseUsage | undefined;
  #reason: string | undefined;
  #text = '';

  constructor(call: CallSpan, info: ConverseInfo) {
    this.#call = call;
    this.#modelId = info.modelId;
    this.#input = info.input;
  }

  readonly onChunk = (event: ConverseStreamEvent | undefined): undefined => {
    const delta = event?.contentBlockDelta?.delta;
    if (delta) this.#text += (delta.text ?? '') + (delta.reasoningContent?.text ?? '');
    if (event?.messageStop?.stopReason) this.#reason = event.messageStop.stopReason;
    if (event?.metadata?.usage) this.#usage = event.metadata.usage;
    return undefined;
  };

  onEnd(end: StreamEnd): void {
    const modelId = this.#modelId;
    const reported = tokensFromConverseUsage(this.#usage);
    const tokens = reported ?? {
      input: promptTokens(this.#input, modelId),
      output: countTextTokens(this.#text, modelId),
    };
    record(this.#call, modelId, tokens, reported ? 'usage' : 'estimated', this.#reason);
    this.#call.end(end.error);
  }
}

/** ConverseStream: usage arrives in the final `metadata` event. The span ends exactly once. */
export function onConverseStreamResult(
  call: CallSpan,
  value: unknown,
  info: ConverseInfo,
): 'open' | undefined {
  const stream = (value as { stream?: unknown } | undefined)?.stream;
  if (typeof stream !== 'object' || stream === null) return undefined;
  const wrapped = wrapStreamInPlace<ConverseStreamEvent>(
    stream,
    new ConverseStreamReader(call, info),
    info.signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
