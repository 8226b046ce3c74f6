import { type ModelUsage, recordModelUsage } from './cost.ts';
import { safely } from './fail-open.ts';
import { ATTR_BURNRATE_STREAM_ABANDONED } from './semconv.ts';
import type { CallSpan } from './span-call.ts';
import type { TokenTally } from './token-count.ts';
import { countTokensOffThread } from './token-counter.ts';

export interface CountedEnd {
  /** The call failed with this error (recorded on the span). */
  error?: unknown;
  /**
   * The stream was abandoned (nobody read it any more): the span is marked, and ends at once (an
   * estimate unless the count is cheap here): abandoned streams end at exit too, right before the
   * final flush, which a count in the worker would miss.
   */
  abandoned?: boolean;
}

/**
 * Ends a model call's span with tokens counted locally (the provider reported none), marked
 * `estimated`. The count runs off the event loop (token-counter.ts), so the span may end a little
 * later than the call: after the count, or at the latest after the count timeout, with a
 * character-based estimate. Never throws; the span always ends.
 */
export function endWithCountedUsage(
  call: CallSpan,
  usage: Omit<ModelUsage, 'tokens' | 'source'>,
  input: TokenTally,
  output: TokenTally,
  end: CountedEnd = {},
): void {
  const finish = (counts: number[] | undefined) => {
    if (call.ended) return;
    if (counts) {
      safely('recording counted usage', () =>
        recordModelUsage(call.span, {
          ...usage,
          tokens: { input: counts[0], output: counts[1] },
          source: 'estimated',
        }),
      );
    }
    if (end.abandoned)
      safely('marking', () => call.span.setAttribute(ATTR_BURNRATE_STREAM_ABANDONED, true));
    call.end(end.error);
  };
  const started = safely('counting tokens', () => {
    countTokensOffThread([input, output], finish, { wait: !end.abandoned });
    return true;
  });
  if (!started) finish(undefined);
}
