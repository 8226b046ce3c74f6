import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  type CallSpan,
  type ChatMessageLike,
  contentText,
  countChatTokens,
  countTextTokens,
  ModelStreamRecord,
  type ModelUsage,
  recordModelUsage,
  type TokenCounts,
  wrapCallStream,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import { bedrockUsage } from './invoke.ts';
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

function converseUsage(
  modelId: string,
  tokens: TokenCounts,
  source: 'usage' | 'estimated',
  stopReason: string | undefined,
): ModelUsage {
  // The stop reason is set with the usage, in one `setAttributes`.
  const attributes: Attributes = {};
  if (stopReason) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [stopReason];
  return bedrockUsage(modelId, tokens, source, attributes);
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
  recordModelUsage(
    call.span,
    converseUsage(info.modelId, tokens, reported ? 'usage' : 'estimated', out.stopReason),
  );
  return undefined;
}

interface ConverseStreamEvent {
  contentBlockDelta?: { delta?: { text?: string; reasoningContent?: { text?: string } } };
  messageStop?: { stopReason?: string };
  metadata?: { usage?: ConverseUsage };
}

/** One ConverseStream's reading: the text, the stop reason and the final usage. */
class ConverseStreamReader extends ModelStreamRecord<ConverseStreamEvent | undefined> {
  // What the end reads of the call (not the call itself, which holds its command while the
  // stream lives).
  readonly #modelId: string;
  readonly #input: Json;
  #usage: ConverseUsage | undefined;
  #reason: string | undefined;
  #text = '';

  constructor(call: CallSpan, info: ConverseInfo) {
    super(call);
    this.#modelId = info.modelId;
    this.#input = info.input;
  }

  protected read(event: ConverseStreamEvent | undefined): void {
    const delta = event?.contentBlockDelta?.delta;
    if (delta) this.#text += (delta.text ?? '') + (delta.reasoningContent?.text ?? '');
    if (event?.messageStop?.stopReason) this.#reason = event.messageStop.stopReason;
    if (event?.metadata?.usage) this.#usage = event.metadata.usage;
  }

  protected usage(): ModelUsage {
    const modelId = this.#modelId;
    const reported = tokensFromConverseUsage(this.#usage);
    const tokens = reported ?? {
      input: promptTokens(this.#input, modelId),
      output: countTextTokens(this.#text, modelId),
    };
    return converseUsage(modelId, tokens, reported ? 'usage' : 'estimated', this.#reason);
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
  return wrapCallStream<ConverseStreamEvent>(
    call,
    stream,
    new ConverseStreamReader(call, info),
    info.signal,
  );
}
