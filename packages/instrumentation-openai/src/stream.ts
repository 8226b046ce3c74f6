import {
  type CallSpan,
  endWithCountedUsage,
  recordError,
  recordModelUsage,
  safely,
  type TokenCounts,
  type TokenTally,
  textTally,
  wrapStreamInPlace,
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
  meta: { provider: string; requestModel?: string; promptTally: () => TokenTally },
): 'open' | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  const signal = (stream as StreamLike).controller?.signal;
  const wrapped = wrapStreamInPlace<C>(
    stream,
    {
      onChunk: (chunk) => acc.onChunk(chunk),
      onEnd: (end) => {
        const reported = safely('reading stream usage', () => acc.reportedTokens());
        const responseModel = safely('reading stream model', () => acc.responseModel());
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
        safely('recording stream usage', () =>
          recordModelUsage(call.span, {
            provider: meta.provider,
            requestModel: meta.requestModel,
            responseModel,
            tokens: reported,
            source: reported ? 'usage' : 'estimated',
          }),
        );
        call.end(end.error);
      },
    },
    signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
