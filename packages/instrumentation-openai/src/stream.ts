import {
  burnrateLogger,
  type CallSpan,
  endWithCountedUsage,
  recordModelUsage,
  type StreamEnd,
  type StreamHooks,
  safely,
  type TokenCounts,
  type TokenTally,
  textTally,
  wrapCallStream,
} from '@burnrate/core';

export interface StreamAccumulator<C> {
  /** Reads a chunk; returns `false` to hide it from the caller. */
  onChunk(chunk: C): boolean | undefined;
  responseModel(): string | undefined;
  /** Tokens the provider reported, if a usage chunk or event arrived. */
  reportedTokens(): TokenCounts | undefined;
  /** Text received so far, for a local count when no usage arrived. */
  text(): string;
}

interface StreamLike {
  controller?: { signal?: AbortSignal };
}

/**
 * Wraps an SDK stream in place; when it ends (fully, on `break`, on error or abort) records the
 * reported tokens and ends the span. Without reported tokens, what was sent and received is
 * counted locally off the event loop (`endWithCountedUsage`), and the span ends with that count.
 */
export function traceStream<C>(
  call: CallSpan,
  stream: unknown,
  acc: StreamAccumulator<C>,
  meta: StreamMeta,
): 'open' | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  const signal = (stream as StreamLike).controller?.signal;
  return wrapCallStream<C>(call, stream, new StreamRecord(call, acc, meta), signal);
}

interface StreamMeta {
  provider: string;
  requestModel?: string;
  promptTally: () => TokenTally;
}

/** One stream's hooks: a class, so a stream makes one object rather than a closure per hook. */
class StreamRecord<C> implements StreamHooks<C> {
  readonly #call: CallSpan;
  readonly #acc: StreamAccumulator<C>;
  readonly #meta: StreamMeta;
  readonly onChunk: (chunk: C) => boolean | undefined;

  constructor(call: CallSpan, acc: StreamAccumulator<C>, meta: StreamMeta) {
    this.#call = call;
    this.#acc = acc;
    this.#meta = meta;
    this.onChunk = acc.onChunk.bind(acc);
  }

  onEnd(end: StreamEnd): void {
    const call = this.#call;
    const acc = this.#acc;
    const meta = this.#meta;
    let reported: TokenCounts | undefined;
    let responseModel: string | undefined;
    try {
      reported = acc.reportedTokens();
      responseModel = acc.responseModel();
    } catch (error) {
      burnrateLogger.warn(
        'reading stream usage failed; telemetry for this call may be incomplete',
        error,
      );
    }
    if (!reported) {
      // No usage: count what was sent and received, without blocking the caller's `break`.
      const tallies = safely('describing stream count', () => ({
        input: meta.promptTally(),
        output: textTally(acc.text(), responseModel ?? meta.requestModel),
      }));
      if (tallies) {
        endWithCountedUsage(
          call,
          { provider: meta.provider, requestModel: meta.requestModel, responseModel },
          tallies.input,
          tallies.output,
          { error: end.error, abandoned: end.abandoned },
        );
        return;
      }
    }
    // Whatever happens while pricing, the span ends.
    try {
      recordModelUsage(call.span, {
        provider: meta.provider,
        requestModel: meta.requestModel,
        responseModel,
        tokens: reported,
        source: reported ? 'usage' : 'estimated',
      });
    } catch (error) {
      burnrateLogger.warn(
        'recording stream usage failed; telemetry for this call may be incomplete',
        error,
      );
    }
    call.end(end.error);
  }
}
