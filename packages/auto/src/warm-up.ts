import {
  ATTR_BURNRATE_COST_INPUT_USD,
  ATTR_BURNRATE_COST_OUTPUT_USD,
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_PRICING_CATALOG,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_BURNRATE_TENANT,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  burnrateLogger,
  tokenAttributes,
} from '@burnrate/core';
import { type Span, SpanKind, type Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/**
 * V8 compiles a function the first time it runs. The first span a process ends therefore runs the
 * OpenTelemetry SDK's span code and Burnrate's processors for the first time, inside one task of
 * the caller's event loop: 3–5 ms of compilation (bench/RESULTS.md, "Event loop"), where the next
 * spans take 0.1–0.3 ms. `warmSpanPath` runs that path once, in short idle tasks after start-up,
 * so a call never pays it: a span started, written and ended on a private tracer provider whose
 * processors are fresh instances of the service's own classes (their own label cap and meter, an
 * exporter that discards). Nothing it does reaches the service's spans, totals, caps or logs.
 *
 * Each step runs in a task of its own, 1 ms after the last, so the service's own tasks run in
 * between. Most take 0.05–0.5 ms; the longest are the SDK's first span start and the cost meter's
 * first record, 0.6–1.4 ms each on the 2-core bench VM (about 9 ms in all). The timers are unreferenced: a process with nothing else to do
 * exits without waiting (an unreferenced `setImmediate` would not do: Node then lets the loop
 * sleep in its poll, and the steps would run only when something else woke it). A step that
 * fails ends the warm-up quietly.
 */

/** Spans the warm-up's exporter was handed: they go nowhere. */
class DiscardingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A chat call's span as Burnrate's instrumentations record it (made-up values, never exported). */
const START = {
  [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
  [ATTR_GEN_AI_PROVIDER_NAME]: 'warm-up',
  [ATTR_GEN_AI_REQUEST_MODEL]: 'warm-up',
  [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: 1,
  [ATTR_SERVER_ADDRESS]: 'localhost',
  [ATTR_SERVER_PORT]: 1,
};
const END = {
  [ATTR_GEN_AI_RESPONSE_MODEL]: 'warm-up',
  [ATTR_GEN_AI_RESPONSE_ID]: 'warm-up',
  [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['stop'],
  [ATTR_BURNRATE_COST_SOURCE]: 'usage',
  [ATTR_BURNRATE_COST_USD]: 0.000002,
  [ATTR_BURNRATE_COST_INPUT_USD]: 0.000001,
  [ATTR_BURNRATE_COST_OUTPUT_USD]: 0.000001,
  [ATTR_BURNRATE_PRICING_MODEL]: 'warm-up',
  [ATTR_BURNRATE_PRICING_CATALOG]: 'warm-up',
  [ATTR_BURNRATE_TENANT]: 'warm-up',
  [ATTR_BURNRATE_ENDPOINT]: 'warm-up',
};

type Step = () => unknown;

export interface WarmUp {
  /** Settles when the last step has run (or the warm-up gave up). */
  readonly done: Promise<void>;
  /** The spans the private provider ended: 1 once the warm-up ran. */
  readonly ended: () => number;
}

/**
 * Warms the span path in idle tasks. `processors(exporter)` makes the private chain: the same
 * classes as the service's, each a new instance, exporting to `exporter`.
 */
export function warmSpanPath(
  processors: (exporter: SpanExporter) => SpanProcessor[],
  resource?: Resource,
): WarmUp {
  let ended = 0;
  const counting: SpanProcessor = {
    onStart() {},
    onEnd() {
      ended++;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  let provider: TracerProvider | undefined;
  let tracer: Tracer | undefined;
  let span: Span | undefined;
  /** A span through `spanProcessors`, a task per step: what each first runs is compiled then. */
  const spanThrough = (spanProcessors: SpanProcessor[]): Step[] => [
    () => {
      provider = new TracerProvider({ resource, spanProcessors });
      tracer = provider.getTracer('@burnrate/auto warm-up');
    },
    // The SDK's span start alone first (its first run is the longest step), its attribute checks
    // next. That span is never ended: it only passes the processors' onStart.
    () => tracer?.startSpan('warm-up'),
    () => {
      span = tracer?.startSpan('chat warm-up', { kind: SpanKind.CLIENT, attributes: START });
    },
    () => span?.setAttributes({ ...END, ...tokenAttributes({ input: 1, output: 1 }) }),
    () => span?.end(),
  ];
  // The SDK's own span code first, then each processor on its own (a task compiles one part of
  // the path), then the whole chain once, which is then shut down (the batch exports nowhere).
  const steps: Step[] = [
    () => {
      const chain = processors(new DiscardingExporter());
      for (const p of chain) steps.push(...spanThrough([p]));
      steps.push(...spanThrough([...chain, counting]), () => provider?.shutdown());
    },
    ...spanThrough([]),
  ];
  const done = new Promise<void>((resolve) => {
    let i = 0;
    const next = (): void => {
      if (i >= steps.length) {
        resolve();
        return;
      }
      setTimeout(() => {
        let result: unknown;
        try {
          result = steps[i++]();
        } catch (error) {
          burnrateLogger.debug('span path warm-up stopped', error);
          resolve();
          return;
        }
        // Only the last step (the shutdown) returns a promise.
        if (result instanceof Promise) result.then(next, () => resolve());
        else next();
      }, 1).unref();
    };
    next();
  });
  return { done, ended: () => ended };
}
