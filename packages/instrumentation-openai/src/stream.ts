import {
  type CallSpan,
  countTextTokens,
  recordError,
  recordModelUsage,
  safely,
  type TokenCounts,
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
 * reported tokens, or a local estimate of what was received, on the span, and ends it.
 */
export function traceStream<C>(
  call: CallSpan,
  stream: unknown,
  acc: StreamAccumulator<C>,
  meta: { provider: string; requestModel?: string; promptTokens: () => number },
): 'open' | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  const signal = (stream as StreamLike).controller?.signal;
  const wrapped = wrapStreamInPlace<C>(
    stream,
    {
      onChunk: (chunk) => acc.onChunk(chunk),
      onEnd: (end) => {
        // Whatever happens while counting or pricing, the span ends.
        safely('recording stream usage', () => {
          const reported = acc.reportedTokens();
          const responseModel = acc.responseModel();
          const model = responseModel ?? meta.requestModel;
          const tokens: TokenCounts | undefined = reported ?? {
            input: meta.promptTokens(),
            output: countTextTokens(acc.text(), model),
          };
          recordModelUsage(call.span, {
            provider: meta.provider,
            requestModel: meta.requestModel,
            responseModel,
            tokens,
            source: reported ? 'usage' : 'estimated',
          });
        });
        call.end(end.error);
      },
    },
    signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
