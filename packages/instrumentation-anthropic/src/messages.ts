import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  GEN_AI_PROVIDER,
  ModelStreamRecord,
  type ModelUsage,
  recordModelUsage,
  wrapCallStream,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import { MessageStreamReader } from './events.ts';
import { asBody, promptTokens } from './request.ts';
import type { MessageLike, StreamEvent } from './types.ts';
import { tokensFromAnthropicUsage } from './usage.ts';

/** Records a Messages call's result: a Message, or (for `stream: true`) a stream of events. */
export function onMessagesResult(
  call: CallSpan,
  value: unknown,
  body: unknown,
): 'open' | undefined {
  const requestModel = asBody(body).model;
  if (asBody(body).stream === true) return traceEventStream(call, value, body);
  const m = (value ?? {}) as MessageLike;
  const reported = tokensFromAnthropicUsage(m.usage);
  recordModelUsage(call.span, {
    attributes: responseAttributes(m.id, m.stop_reason),
    provider: GEN_AI_PROVIDER.ANTHROPIC,
    requestModel,
    responseModel: m.model,
    // The content is counted locally only when the response carries no usage.
    tokens: reported ?? {
      input: promptTokens(body),
      output: countTextTokens(
        (m.content ?? []).map((b) => b.text ?? b.thinking ?? '').join(''),
        m.model ?? requestModel,
      ),
    },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}

/** The response's id and stop reason, set with its usage in one `setAttributes`. */
function responseAttributes(
  id: string | undefined,
  stopReason: string | null | undefined,
): Attributes {
  const attrs: Attributes = {};
  if (id) attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (stopReason) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [stopReason];
  return attrs;
}

interface StreamLike {
  controller?: { signal?: AbortSignal };
}

/**
 * Wraps the SDK's event stream in place (its class, `tee()`, `toReadableStream()` and `controller`
 * stay). The span ends exactly once: at the end, on error, on `break`, or on abort.
 */
function traceEventStream(call: CallSpan, stream: unknown, body: unknown): 'open' | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  const signal = (stream as StreamLike).controller?.signal;
  return wrapCallStream(call, stream, new EventStreamRecord(call, body), signal);
}

/** One stream's events, read by a `MessageStreamReader`; their usage recorded at the end. */
class EventStreamRecord extends ModelStreamRecord<StreamEvent> {
  readonly #reader = new MessageStreamReader();
  readonly #body: unknown;

  constructor(call: CallSpan, body: unknown) {
    super(call);
    this.#body = body;
  }

  protected read(event: StreamEvent): void {
    this.#reader.onEvent(event);
  }

  protected usage(): ModelUsage {
    const reader = this.#reader;
    const requestModel = asBody(this.#body).model;
    const result = reader.result(requestModel);
    return {
      attributes: responseAttributes(reader.id, reader.stopReason),
      provider: GEN_AI_PROVIDER.ANTHROPIC,
      requestModel,
      responseModel: reader.model,
      tokens: result?.tokens ?? { input: promptTokens(this.#body), output: 0 },
      source: result?.source ?? 'estimated',
    };
  }
}
