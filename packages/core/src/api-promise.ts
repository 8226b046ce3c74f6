import { type Observe, observeFromSide } from './span-call.ts';

/**
 * The APIPromise of Stainless-generated SDKs (openai, @anthropic-ai/sdk, …): a promise whose body
 * is parsed only when someone reads the result.
 */
export interface ApiPromiseLike {
  parse(): Promise<unknown>;
  asResponse(): Promise<unknown>;
}

function isApiPromise(value: unknown): value is ApiPromiseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiPromiseLike).parse === 'function' &&
    typeof (value as ApiPromiseLike).asResponse === 'function'
  );
}

/**
 * Observes the SDK's APIPromise without changing it: the caller gets the same object. The body is
 * parsed only when someone reads the result (`await`, `.withResponse()`); Burnrate listens then,
 * by wrapping this one promise's `parse`, so `.asResponse()` still hands over an unread body.
 * Request failures are seen through the raw response promise, which never reads the body.
 */
export const observeApiPromise = (<R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
): R => {
  if (!isApiPromise(result)) return observeFromSide(result, onValue, onError);
  const promise = result as R & ApiPromiseLike;
  const parse = promise.parse;
  let observed = false;
  promise.parse = function parseObserved(this: ApiPromiseLike) {
    const parsed = parse.call(this);
    if (!observed) {
      observed = true;
      parsed.then(onValue, onError);
    }
    return parsed;
  };
  promise.asResponse().then(undefined, onError);
  return promise;
}) as Observe<unknown> as <R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
) => R;
