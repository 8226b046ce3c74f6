import { randomUUID } from 'node:crypto';
import {
  burnrateLogger,
  CostMeter,
  CostMeterSpanProcessor,
  type MeteredMetrics,
  type MeteredSpan,
} from '@burnrate/core';
import type { ObservableResult } from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * The process's cost as cumulative OTLP metrics (see core's cost-meter.ts). The metrics SDK and
 * its exporter are loaded when the first export is due, one interval after start-up (never on a
 * call): spans metered before then are in the totals all the same. Each export carries the totals since the
 * process started, so a Collector restart or outage loses nothing once the next export gets
 * through; an app that exits loses what it recorded since its last export (at most one interval,
 * `OTEL_METRIC_EXPORT_INTERVAL`, 10 s by default here), less on a graceful shutdown, which exports
 * once more.
 */

const DESCRIPTIONS: Record<keyof MeteredMetrics, string> = {
  'burnrate.llm.cost.usd': 'Cost of model calls in US dollars, counted in the process',
  'burnrate.llm.tokens': 'Tokens of model calls by type, counted in the process',
  'burnrate.llm.requests': 'Model calls Burnrate priced (or tried to), counted in the process',
  'burnrate.vectordb.operations':
    'Vector-database operations Burnrate priced, counted in the process',
  'burnrate.vectordb.cost.usd':
    'Cost of vector-database operations in US dollars, counted in the process',
};

export interface Metering {
  readonly meter: CostMeter;
  /** Meters priced spans; goes after Burnrate's span processor, before the exporting one. */
  readonly processor: SpanProcessor;
  /** Loads the metrics SDK now if it is not yet; resolves once it exports (or failed to load). */
  readonly ready: Promise<void>;
  /** Wraps the span exporter: spans it fails to deliver are counted, with their dollars. */
  countExportFailures(exporter: SpanExporter): SpanExporter;
  /** Counts the spans a batch processor drops because its queue is full. */
  countQueueDrops(processor: SpanProcessor): SpanProcessor;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface MeterProviderLike {
  getMeter(name: string): {
    createObservableCounter(
      name: string,
      options: { description: string },
    ): { addCallback(cb: (r: ObservableResult) => void): void };
  };
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

function positiveMs(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (Number.isFinite(n) && n > 0 && n <= 2 ** 31 - 1) return n;
  burnrateLogger.warn(`${name}=${value} is not a number of milliseconds; using ${fallback}`);
  return fallback;
}

function exporterModule(env: NodeJS.ProcessEnv): string {
  const protocol = (
    env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  ).toLowerCase();
  if (protocol === 'http/json') return '@opentelemetry/exporter-metrics-otlp-http';
  if (protocol === 'grpc') return '@opentelemetry/exporter-metrics-otlp-grpc';
  return '@opentelemetry/exporter-metrics-otlp-proto';
}

/**
 * Metering for the one import, or undefined when it is off: `BURNRATE_METERING=false`, or no
 * OTLP trace export (the Collector would never see the spans' mark).
 */
export function meteringFromEnv(env: NodeJS.ProcessEnv, resource: Resource): Metering | undefined {
  const traces = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',')[0].trim().toLowerCase();
  if (env.BURNRATE_METERING?.toLowerCase() === 'false' || traces === 'none' || traces === 'console')
    return undefined;
  const interval = positiveMs(
    env.OTEL_METRIC_EXPORT_INTERVAL,
    10_000,
    'OTEL_METRIC_EXPORT_INTERVAL',
  );
  const timeout = Math.min(
    interval,
    positiveMs(env.OTEL_METRIC_EXPORT_TIMEOUT, 5_000, 'OTEL_METRIC_EXPORT_TIMEOUT'),
  );
  const meter = new CostMeter();
  // One series per process: the instance id keeps two replicas' totals apart.
  const withInstance = resource.attributes['service.instance.id']
    ? resource
    : resource.merge(resourceFromAttributes({ 'service.instance.id': randomUUID() }));
  let provider: MeterProviderLike | undefined;
  let loading: Promise<void> | undefined;
  // The metrics SDK and its exporter (about 40 ms of module loading) are needed only when the
  // first export is due: a process that ends sooner never loads them, and start-up stays light.
  const load = (): Promise<void> => {
    loading ??= (async () => {
      const [sdk, exp] = await Promise.all([
        import('@opentelemetry/sdk-metrics'),
        import(exporterModule(env)) as Promise<{
          OTLPMetricExporter: new (o: { temporalityPreference: number }) => unknown;
        }>,
      ]);
      // Cumulative whatever OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE says: the totals
      // are what makes an outage harmless.
      const exporter = new exp.OTLPMetricExporter({ temporalityPreference: 1 });
      const reader = new sdk.PeriodicExportingMetricReader({
        exporter: exporter as ConstructorParameters<
          typeof sdk.PeriodicExportingMetricReader
        >[0]['exporter'],
        exportIntervalMillis: interval,
        exportTimeoutMillis: timeout,
        // The label caps bound the series; the SDK's default (2,000) would fold real ones.
        cardinalityLimits: { observableCounter: 100_000 },
      });
      const p = new sdk.MeterProvider({ resource: withInstance, readers: [reader] });
      const m = p.getMeter('burnrate');
      const all = { ...meter.metrics, ...meter.dropped };
      for (const [name, sums] of Object.entries(all)) {
        const description =
          DESCRIPTIONS[name as keyof MeteredMetrics] ?? 'Spans the process could not deliver';
        m.createObservableCounter(name, { description }).addCallback((r) => {
          for (const point of sums.points()) r.observe(point.value, point.attributes);
        });
      }
      provider = p;
    })().catch((error: unknown) => {
      burnrateLogger.warn(
        `cost metrics are off: ${error instanceof Error ? error.message : error}`,
      );
    });
    return loading;
  };
  // The first export is due one interval after start: load then, export at once (the reader's own
  // timer then exports every interval). Unreferenced: the timer never keeps a process alive.
  setTimeout(() => {
    load()
      .then(() => provider?.forceFlush())
      .catch(() => undefined);
  }, interval).unref();

  const costMeterProcessor = new CostMeterSpanProcessor(meter);
  return {
    meter,
    processor: costMeterProcessor as unknown as SpanProcessor,
    get ready() {
      return load();
    },
    countExportFailures(exporter) {
      return {
        export(spans, done) {
          exporter.export(spans, (result) => {
            if (result.code !== 0)
              meter.recordDropped(spans as unknown as MeteredSpan[], 'export_failed');
            done(result);
          });
        },
        shutdown: () => exporter.shutdown(),
        forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
      };
    },
    countQueueDrops(processor) {
      const state = processor as unknown as { _droppedSpansCount?: number };
      return {
        onStart: (span, ctx) => processor.onStart(span, ctx),
        onEnd(span: ReadableSpan) {
          const before = state._droppedSpansCount;
          processor.onEnd(span);
          if (typeof before === 'number' && state._droppedSpansCount === before + 1)
            meter.recordDropped([span as unknown as MeteredSpan], 'queue_full');
        },
        forceFlush: () => processor.forceFlush(),
        shutdown: () => processor.shutdown(),
      };
    },
    async forceFlush() {
      // Nothing counted and nothing loaded yet (a process that made no call): nothing to send.
      if (!loading && !hasPoints(meter)) return;
      await load();
      await provider?.forceFlush();
    },
    async shutdown() {
      if (!loading && !hasPoints(meter)) return;
      await load();
      await provider?.shutdown();
    },
  };
}

function hasPoints(meter: CostMeter): boolean {
  for (const sums of Object.values(meter.metrics)) if (sums.size > 0) return true;
  for (const sums of Object.values(meter.dropped)) if (sums.size > 0) return true;
  return false;
}
