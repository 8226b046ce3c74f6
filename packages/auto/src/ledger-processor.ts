import { burnrateLogger } from '@burnrate/core';
import { getDefaultPricer } from '@burnrate/pricing';
import { type Logger, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LoggerProvider, LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { isLedgerSpan, LEDGER_EVENT_NAME, ledgerAttributes } from './ledger-event.ts';

/** Spans waiting to become ledger events (beyond it they are dropped, and counted). */
const MAX_PENDING = 8192;
/** Shutting down, an export still unanswered after this long is given up. */
const GIVE_UP_MS = 500;

export interface LedgerOptions {
  /** OTLP/HTTP logs URL; default: the exporter's own variables, else the traces endpoint's host. */
  url?: string;
  /** How long a failed batch is retried (the Collector restarting or unreachable), ms. */
  retryWindowMs?: number;
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
}

/**
 * Retries a failed export with backoff (1 s … 10 s) until it succeeds or the window passes, so
 * a Collector restart loses no ledger event; the batch processor waits meanwhile (one export at a
 * time) and queues new events up to its maxQueueSize.
 */
class RetryingExporter implements LogRecordExporter {
  readonly #inner: LogRecordExporter;
  readonly #windowMs: number;
  #stopped = false;
  /** The batch being exported: stop() gives it up (at once if it waits to retry, else in 0.5 s). */
  #current: { giveUp: () => void } | undefined;
  constructor(inner: LogRecordExporter, windowMs: number) {
    this.#inner = inner;
    this.#windowMs = windowMs;
  }
  export(records: ReadableLogRecord[], done: (r: ExportResult) => void): void {
    const deadline = Date.now() + this.#windowMs;
    let backoff = 1000;
    let finished = false;
    let retry: NodeJS.Timeout | undefined;
    let last: ExportResult = {
      code: ExportResultCode.FAILED,
      error: new Error('ledger: shutting down'),
    };
    const finish = (result: ExportResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(retry);
      this.#current = undefined;
      if (result.code !== ExportResultCode.SUCCESS)
        burnrateLogger.warn(
          `ledger: ${records.length} event(s) could not be exported`,
          result.error,
        );
      done(result);
    };
    const giveUp = () => {
      if (retry) finish(last);
      else setTimeout(() => finish(last), GIVE_UP_MS).unref();
    };
    const attempt = () => {
      retry = undefined;
      this.#inner.export(records, (result) => {
        last = result;
        if (
          result.code === ExportResultCode.SUCCESS ||
          this.#stopped ||
          Date.now() + backoff > deadline
        ) {
          finish(result);
          return;
        }
        retry = setTimeout(attempt, backoff);
        retry.unref();
        backoff = Math.min(backoff * 2, 10_000);
      });
    };
    this.#current = { giveUp };
    attempt();
    if (this.#stopped) giveUp();
  }
  /** No more retries (shutting down); the batch being exported is given up (see #current). */
  stop(): void {
    this.#stopped = true;
    this.#current?.giveUp();
  }
  async shutdown(): Promise<void> {
    this.stop();
    // The OTLP exporter waits for its requests in flight (and their own retries): not for long.
    const timer = (resolve: () => void) => setTimeout(resolve, GIVE_UP_MS).unref();
    await Promise.race([this.#inner.shutdown(), new Promise<void>(timer)]);
  }
  async forceFlush(): Promise<void> {
    if (!this.#stopped) await this.#inner.forceFlush?.();
  }
}

/** The logs URL: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT / _ENDPOINT (the exporter reads them), else the traces URL's. */
function logsUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return traces ? traces.replace(/\/v1\/traces\/?$/, '/v1/logs') : undefined;
}

/**
 * The ledger emitter: for each span Burnrate priced (it has `burnrate.cost.source`) and each call
 * a budget or the breaker refused, one OTLP log record `burnrate.ledger.call` whose attributes are
 * the ledger row (ledger-event.ts) and whose trace context is the span's. On the caller's path it
 * only checks two attributes and appends the span to an array; the row is built, the unit prices
 * looked up and the record emitted in a setImmediate, off the call. The logs SDK and its OTLP/HTTP
 * exporter (JSON) are loaded at the first event. Never throws into the app.
 */
export class LedgerSpanProcessor implements SpanProcessor {
  readonly #options: LedgerOptions;
  #pending: ReadableSpan[] = [];
  #scheduled = false;
  #loading:
    | Promise<{ provider: LoggerProvider; logger: Logger; exporter: RetryingExporter } | undefined>
    | undefined;
  #draining: Promise<void> = Promise.resolve();
  /** Spans dropped because the pending queue was full or the logs SDK failed to load. */
  dropped = 0;

  constructor(options: LedgerOptions = {}) {
    this.#options = options;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (!isLedgerSpan(span.attributes)) return;
    if (this.#pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.#pending.push(span);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#draining = this.#draining.then(() => this.#drain());
      });
    }
  }

  #load(resource: ReadableSpan['resource']) {
    this.#loading ??= (async () => {
      const [sdk, otlp] = await Promise.all([
        import('@opentelemetry/sdk-logs'),
        import('@opentelemetry/exporter-logs-otlp-http'),
      ]);
      const exporter = new RetryingExporter(
        new otlp.OTLPLogExporter(this.#options.url ? { url: this.#options.url } : {}),
        this.#options.retryWindowMs ?? 120_000,
      );
      const processor = new sdk.BatchLogRecordProcessor({
        exporter,
        maxExportBatchSize: 512,
        maxQueueSize: this.#options.maxQueueSize ?? 16_384,
        scheduledDelayMillis: this.#options.scheduledDelayMillis ?? 1000,
        exportTimeoutMillis: (this.#options.retryWindowMs ?? 120_000) + 30_000,
      });
      const provider = new sdk.LoggerProvider({ resource, processors: [processor] });
      return { provider, logger: provider.getLogger('@burnrate/auto'), exporter };
    })().catch((error: unknown) => {
      burnrateLogger.warn('ledger: the OpenTelemetry logs SDK could not be loaded', error);
      return undefined;
    });
    return this.#loading;
  }

  async #drain(): Promise<void> {
    const spans = this.#pending;
    if (spans.length === 0) return;
    this.#pending = [];
    try {
      const loaded = await this.#load(spans[0].resource);
      if (!loaded) {
        this.dropped += spans.length;
        return;
      }
      const pricer = getDefaultPricer();
      for (const span of spans) {
        loaded.logger.emit({
          eventName: LEDGER_EVENT_NAME,
          timestamp: span.endTime,
          attributes: ledgerAttributes(span, pricer),
          context: trace.setSpanContext(ROOT_CONTEXT, span.spanContext()),
        });
      }
    } catch (error) {
      this.dropped += spans.length;
      burnrateLogger.warn('ledger: events could not be emitted', error);
    }
  }

  async forceFlush(): Promise<void> {
    this.#draining = this.#draining.then(() => this.#drain());
    await this.#draining;
    await (await this.#loading)?.provider.forceFlush();
  }

  /** Emits what is pending and exports it once: no retries, so shutting down never waits on a down Collector. */
  async shutdown(): Promise<void> {
    this.#draining = this.#draining.then(() => this.#drain());
    await this.#draining;
    const loaded = await this.#loading;
    loaded?.exporter.stop();
    await loaded?.provider.shutdown();
  }
}

/**
 * The ledger emitter when `BURNRATE_LEDGER` is `on` (or `true`, `1`); undefined otherwise (off by
 * default, and then it costs nothing: no processor, nothing loaded). A bad value is reported.
 */
export function ledgerProcessorFromEnv(
  env: NodeJS.ProcessEnv,
  report: (message: string) => void,
): LedgerSpanProcessor | undefined {
  const raw = (env.BURNRATE_LEDGER ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'off' || raw === 'false' || raw === '0') return undefined;
  if (raw !== 'on' && raw !== 'true' && raw !== '1') {
    report(
      `BURNRATE_LEDGER: expected on or off, got ${JSON.stringify(env.BURNRATE_LEDGER)}; the ledger is off`,
    );
    return undefined;
  }
  return new LedgerSpanProcessor({ url: logsUrl(env) });
}
