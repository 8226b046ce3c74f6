import { burnrateLogger } from '@burnrate/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace';

interface ExporterModule {
  OTLPTraceExporter: new () => SpanExporter;
}

const FAILED = 1; // ExportResultCode.FAILED

/**
 * The OTLP exporter, loaded when the batch processor first exports (its module and the OTLP
 * transformer are about 60 ms of loading that a process would otherwise pay at start-up, and a
 * process that never exports never pays). Export is asynchronous already: the first batch waits
 * for the load, off any call's path.
 */
class LazyExporter implements SpanExporter {
  readonly #moduleName: string;
  #loading: Promise<SpanExporter> | undefined;
  #exporter: SpanExporter | undefined;
  constructor(moduleName: string) {
    this.#moduleName = moduleName;
  }
  #load(): Promise<SpanExporter> {
    this.#loading ??= (import(this.#moduleName) as Promise<ExporterModule>).then((mod) => {
      this.#exporter = new mod.OTLPTraceExporter();
      return this.#exporter;
    });
    return this.#loading;
  }
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.#exporter) {
      this.#exporter.export(spans, done);
      return;
    }
    this.#load().then(
      (exporter) => exporter.export(spans, done),
      (error: unknown) => {
        burnrateLogger.warn(`${this.#moduleName} could not be loaded: spans are dropped`, error);
        done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
  }
  async shutdown(): Promise<void> {
    if (this.#loading) await (await this.#loading.catch(() => undefined))?.shutdown();
  }
  async forceFlush(): Promise<void> {
    if (this.#loading) await (await this.#loading.catch(() => undefined))?.forceFlush?.();
  }
}

/**
 * The trace exporter the standard variables ask for: `OTEL_TRACES_EXPORTER` (`otlp` by default,
 * `console`, `none`) and `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`
 * (`http/protobuf` by default, `http/json`, `grpc` if `@opentelemetry/exporter-trace-otlp-grpc` is
 * installed). Endpoint, headers, timeout and compression are read by the exporter itself from
 * `OTEL_EXPORTER_OTLP_*`. Loaded at the first export, so a service only pays for the one it uses.
 */
export function exporterFromEnv(env: NodeJS.ProcessEnv = process.env): SpanExporter | undefined {
  const kind = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',')[0].trim().toLowerCase();
  if (kind === 'none') return undefined;
  if (kind === 'console') return new ConsoleSpanExporter();
  if (kind !== 'otlp') {
    burnrateLogger.warn(
      `OTEL_TRACES_EXPORTER=${kind} is not supported by @burnrate/auto; using otlp`,
    );
  }
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  ).toLowerCase();
  const moduleName =
    protocol === 'http/json'
      ? '@opentelemetry/exporter-trace-otlp-http'
      : protocol === 'grpc'
        ? '@opentelemetry/exporter-trace-otlp-grpc'
        : '@opentelemetry/exporter-trace-otlp-proto';
  return new LazyExporter(moduleName);
}
