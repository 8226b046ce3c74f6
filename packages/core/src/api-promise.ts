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

/** What a call's APIPromise tells Burnrate, kept on the promise until it is read. */
interface Observer {
  readonly onValue: (value: unknown) => unknown;
  readonly onError: (error: unknown) => void;
}

const OBSERVER = Symbol('Burnrate APIPromise observer');
type Observed = ApiPromiseLike & { [OBSERVER]?: Observer | undefined };

/** APIPromise classes (one per SDK copy) whose `parse`, and whose `asResponse`, report to an observer. */
const patchedParse = new WeakSet<object>();
const patchedAsResponse = new WeakSet<object>();
/** Prototypes of promises whose `parse` and `asResponse` report (their own or inherited). */
const reporting = new WeakSet<object>();

/** The prototype that defines `name` (the method the SDK calls on its promises). */
function ownerOf(value: object, name: string): object | undefined {
  for (let p = Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p))
    if (Object.hasOwn(p, name)) return p;
  return undefined;
}

/**
 * Makes the APIPromise class report to the observer a promise carries: `parse` (what `await`,
 * `.then` and `.withResponse()` call) hands its result over once, and `asResponse` its failure.
 * Done once per class, so that a call only sets one property: wrapping each promise's own
 * methods, or the function it parses with, made the SDK's promise code slower (+5 µs per call in
 * `npm run bench`). A promise without an observer behaves as the SDK made it.
 */
function patchClass(promise: ApiPromiseLike): boolean {
  const parseOwner = ownerOf(promise, 'parse');
  const responseOwner = ownerOf(promise, 'asResponse');
  if (!parseOwner || !responseOwner) return false;
  try {
    replaceOnce(
      parseOwner,
      'parse',
      patchedParse,
      (sdkParse) =>
        function parse(this: Observed) {
          const parsed = sdkParse.call(this);
          const observer = this[OBSERVER];
          if (observer !== undefined) {
            this[OBSERVER] = undefined;
            parsed.then(observer.onValue, observer.onError);
          }
          return parsed;
        },
    );
    replaceOnce(
      responseOwner,
      'asResponse',
      patchedAsResponse,
      (sdkAsResponse) =>
        function asResponse(this: Observed) {
          const response = sdkAsResponse.call(this);
          const observer = this[OBSERVER];
          if (observer !== undefined) response.then(undefined, observer.onError);
          return response;
        },
    );
    return true;
  } catch {
    return false; // a frozen class: each promise is observed on its own
  }
}

type Method = (this: ApiPromiseLike) => Promise<unknown>;

/** Replaces `owner[name]` with `wrap(original)`, once per owner. */
function replaceOnce(
  owner: object,
  name: keyof ApiPromiseLike,
  done: WeakSet<object>,
  wrap: (original: Method) => Method,
): void {
  if (done.has(owner)) return;
  const original = (owner as ApiPromiseLike)[name] as Method;
  Object.defineProperty(owner, name, { value: wrap(original), writable: true, configurable: true });
  done.add(owner);
}

/**
 * Observes the SDK's APIPromise without changing what the caller gets: the same object, whose body
 * is parsed only when someone reads the result (`await`, `.withResponse()`); Burnrate listens
 * then, so `.asResponse()` still hands over an unread body (and its failure ends the span).
 */
export const observeApiPromise = (<R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
): R => {
  if (!isApiPromise(result)) return observeFromSide(result, onValue, onError);
  const promise = result as R & Observed;
  try {
    // The promise's own class seen before: no walk up its prototypes on every call.
    const proto = Object.getPrototypeOf(promise) as object | null;
    const known = proto !== null && reporting.has(proto);
    if (known || patchClass(promise)) {
      if (!known && proto) reporting.add(proto);
      promise[OBSERVER] = { onValue, onError };
      return result;
    }
  } catch {
    // fall through: observed on its own
  }
  return observeOwnParse(promise, onValue, onError);
}) as Observe<unknown> as <R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
) => R;

/** For an APIPromise whose class cannot be patched: its own `parse` wrapped. */
function observeOwnParse<R extends ApiPromiseLike>(
  promise: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
): R {
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
}
