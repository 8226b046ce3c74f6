import { type ModelUsage, recordModelUsage } from './cost.ts';
import { burnrateLogger } from './fail-open.ts';
import { type CallSpan, recordError } from './span-call.ts';
import { type StreamEnd, type StreamHooks, wrapStreamInPlace } from './span-stream.ts';

/**
 * Wraps a model call's stream in place with `hooks` (see `wrapStreamInPlace`) and returns
 * `'open'`: the stream now ends the call's span. A stream of a shape it does not know is left as
 * it is, with the error on the span, and `undefined` (the call's span ends as for a plain result).
 */
export function wrapCallStream<T>(
  call: CallSpan,
  stream: object,
  hooks: StreamHooks<T>,
  signal?: AbortSignal,
): 'open' | undefined {
  if (wrapStreamInPlace<T>(stream, hooks, signal)) return 'open';
  recordError(call.span, new Error('unrecognised stream shape'));
  return undefined;
}

/**
 * What a model call's stream said, recorded once when it ends (at its end, on error, `break`,
 * abort or abandonment): one object per stream, not a closure per hook and per end. A subclass
 * reads each chunk (`read`) and says, at the end, the usage to record (`usage`). Whatever
 * recording does, the span ends: a pricing failure never leaves it open.
 */
export abstract class ModelStreamRecord<T> implements StreamHooks<T> {
  /** Made once per stream: the stream wrapper calls it detached. */
  readonly onChunk: (chunk: T) => undefined;
  protected readonly call: CallSpan;

  constructor(call: CallSpan) {
    this.call = call;
    this.onChunk = (chunk) => {
      this.read(chunk);
      return undefined;
    };
  }

  /** Reads one chunk (never hides it from the caller). */
  protected abstract read(chunk: T): void;

  /** The usage to record, from what the chunks said (or a local count). */
  protected abstract usage(): ModelUsage;

  onEnd(end: StreamEnd): void {
    try {
      recordModelUsage(this.call.span, this.usage());
    } catch (error) {
      burnrateLogger.warn(
        'recording stream usage failed; telemetry for this call may be incomplete',
        error,
      );
    }
    this.call.end(end.error);
  }
}
