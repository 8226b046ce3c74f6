import { type Transformer, TransformStream } from 'node:stream/web';
import { safely } from '@burnrate/core';
import { isWorkflowStream } from './types.ts';

/**
 * The stream `runStream` returned, passed through a watcher that settles `ended` when the caller
 * is done with it: read to the end, failed, or cancelled (`break` out of `for await`, `cancel()`).
 * The watcher is what `WorkflowStream#pipeThrough` gives (the workflow's own way of deriving a
 * stream, as its `until()` does), so the caller gets a `WorkflowStream` of the same events. Any
 * other value comes back as it was, and `ended` settles at once.
 */
export function watchStreamEnd(result: unknown, settle: () => void): unknown {
  if (!isWorkflowStream(result)) {
    settle();
    return result;
  }
  // `cancel` (the Streams spec's transformer cancel): the reader stopped, or the stream failed.
  const watcher: Transformer<unknown, unknown> = {
    transform: (event, controller) => controller.enqueue(event),
    flush: () => settle(),
    cancel: () => settle(),
  };
  const watched = safely('watching a LlamaIndex workflow stream', () =>
    result.pipeThrough(new TransformStream<unknown, unknown>(watcher)),
  );
  if (watched === undefined) {
    settle();
    return result;
  }
  return watched;
}
