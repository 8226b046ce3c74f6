import {
  type CallSpan,
  countTextTokens,
  ModelStreamRecord,
  type ModelUsage,
  wrapCallStream,
} from '@burnrate/core';
import { MessageStreamReader, type StreamEvent } from '@burnrate/instrumentation-anthropic';
import { bodyText, generatedText, parseJson, promptTokens } from './body.ts';
import { chunkNeedsParse, isTextOnlyType } from './chunk-scan.ts';
import { bedrockUsage, finishReason, type InvokeInfo, responseAttributes } from './invoke.ts';
import type { InvocationMetrics, Json } from './types.ts';
import { tokensFromInvocationMetrics } from './usage.ts';

interface ResponseStreamEvent {
  chunk?: { bytes?: Uint8Array };
}

/**
 * The most text (characters) a stream keeps unread: past it, the kept chunks are parsed and only
 * their generated text is kept, as for a chunk parsed on arrival.
 */
export const MAX_DEFERRED_CHARS = 32 * 1024;

/** The generated text of a chunk parsed on arrival, in its place among the kept ones. */
interface ParsedText {
  text: string;
}

/**
 * Reads an InvokeModelWithResponseStream's chunks, one reader per stream (its state in fields,
 * no closures but `onChunk`, which the stream wrapper calls detached). A chunk that can carry
 * metrics, a finish reason or a Claude event other than text (chunk-scan.ts) is parsed on
 * arrival; any other is kept as text, and parsed only if the stream ends without invocation
 * metrics (its text is then needed), or when the kept text passes `MAX_DEFERRED_CHARS`. What is
 * recorded is the same as parsing every chunk on arrival: the kept chunks are read in order.
 */
class InvokeStreamReader extends ModelStreamRecord<ResponseStreamEvent | undefined> {
  // What the end reads of the call (not the call itself, which holds its command while the
  // stream lives).
  readonly #modelId: string;
  readonly #request: Json | undefined;
  /** Made at the first Claude event (most families send none). */
  #claude: MessageStreamReader | undefined;
  #metrics: InvocationMetrics | undefined;
  #reason: string | undefined;
  /** The generated text of the chunks read so far. */
  #text = '';
  /** Chunks after those, in order: JSON text not parsed yet, or a parsed chunk's text. */
  #kept: (string | ParsedText)[] = [];
  #keptChars = 0;

  constructor(call: CallSpan, info: InvokeInfo) {
    super(call);
    this.#modelId = info.modelId;
    this.#request = info.request;
  }

  protected read(event: ResponseStreamEvent | undefined): void {
    const json = bodyText(event?.chunk?.bytes);
    if (json === undefined) return;
    if (chunkNeedsParse(json)) this.#parse(json);
    else this.#keep(json, json.length);
  }

  #parse(json: string): void {
    const chunk = parseJson(json);
    if (!chunk) return;
    const m = chunk['amazon-bedrock-invocationMetrics'];
    if (typeof m === 'object' && m !== null) this.#metrics = m as InvocationMetrics;
    const type = chunk.type;
    if (typeof type === 'string') {
      // Claude's text (deltas) is read in order: the kept chunks before this one first.
      if (isTextOnlyType(type)) this.#readKept();
      this.#claudeEvent(chunk);
    }
    this.#reason = finishReason(chunk) ?? this.#reason;
    const text = generatedText(chunk);
    if (!text) return;
    if (this.#kept.length === 0) this.#text += text;
    else this.#keep({ text }, text.length);
  }

  #keep(part: string | ParsedText, chars: number): void {
    this.#kept.push(part);
    this.#keptChars += chars;
    if (this.#keptChars > MAX_DEFERRED_CHARS) this.#readKept();
  }

  #claudeEvent(chunk: Json): void {
    this.#claude ??= new MessageStreamReader();
    this.#claude.onEvent(chunk as StreamEvent);
  }

  /** Parses the kept chunks, in order: they carry text and Claude's text events only. */
  #readKept(): void {
    const kept = this.#kept;
    if (kept.length === 0) return;
    this.#kept = [];
    this.#keptChars = 0;
    let text = this.#text;
    for (const part of kept) {
      if (typeof part !== 'string') {
        text += part.text;
        continue;
      }
      // Each chunk on its own, as when read on arrival (a failure skips the rest of that chunk).
      try {
        const chunk = parseJson(part);
        if (!chunk) continue;
        if (typeof chunk.type === 'string') this.#claudeEvent(chunk);
        text += generatedText(chunk);
      } catch {
        // fail open
      }
    }
    this.#text = text;
  }

  protected usage(): ModelUsage {
    const modelId = this.#modelId;
    const fromMetrics = tokensFromInvocationMetrics(this.#metrics);
    // With metrics, the kept chunks' text is never used: it is read only without them.
    if (!fromMetrics) this.#readKept();
    const claude = this.#claude;
    const attributes = responseAttributes(
      claude?.id || undefined,
      claude?.stopReason ?? this.#reason,
    );
    const fromClaude = claude?.result(modelId);
    if (fromMetrics) {
      // Claude's events split cache writes by TTL; the metrics do not: prefer the events when final.
      const tokens = fromClaude?.source === 'usage' ? fromClaude.tokens : fromMetrics;
      return bedrockUsage(modelId, tokens, 'usage', attributes);
    }
    if (fromClaude) return bedrockUsage(modelId, fromClaude.tokens, fromClaude.source, attributes);
    const tokens = {
      input: promptTokens(this.#request, modelId),
      output: countTextTokens(this.#text, modelId),
    };
    return bedrockUsage(modelId, tokens, 'estimated', attributes);
  }
}

/**
 * InvokeModelWithResponseStream: wraps the output's event stream in place. Every model's last
 * chunk carries `amazon-bedrock-invocationMetrics` (the billed counts); Anthropic Messages events
 * are read too, so a stream cut short still has Claude's input usage. The span ends exactly once.
 */
export function onInvokeStreamResult(
  call: CallSpan,
  value: unknown,
  info: InvokeInfo,
): 'open' | undefined {
  const stream = (value as { body?: unknown } | undefined)?.body;
  if (typeof stream !== 'object' || stream === null) return undefined;
  return wrapCallStream<ResponseStreamEvent>(
    call,
    stream,
    new InvokeStreamReader(call, info),
    info.signal,
  );
}
