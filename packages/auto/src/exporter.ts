import { createRequire } from 'node:module';
import { burnrateLogger } from '@burnrate/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace';

const require = createRequire(import.meta.url);

interface ExporterModule {
  OTLPTraceExporter: new () => SpanExporter;
}

/**
 * The trace exporter the standard variables ask for: `OTEL_TRACES_EXPORTER` (`otlp` by default,
 * `console`, `none`) and `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`
 * (`http/protobuf` by default, `http/json`, `grpc` if `@opentelemetry/exporter-trace-otlp-grpc` is
 * installed). Endpoint, headers, timeout and compression are read by the exporter itself from
 * `OTEL_EXPORTER_OTLP_*`. Loaded lazily so a service only pays for the one it uses.
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
  const mod = require(moduleName) as ExporterModule;
  return new mod.OTLPTraceExporter();
}
