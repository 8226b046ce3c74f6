import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export type AttrValue = string | number | boolean;
export type Attrs = Record<string, AttrValue>;

/** One span as the pipeline sees it: resource, span attributes and status. */
export type SpanSpec = {
  name?: string;
  resource: Attrs;
  attributes: Attrs;
  status?: 'ok' | 'error' | 'unset';
};

/**
 * Sends spans over real OTLP/HTTP (JSON) with the OpenTelemetry JS SDK: one TracerProvider
 * per distinct resource, a BatchSpanProcessor and the OTLP/HTTP exporter. Resolves when all
 * were exported; rejects if the export failed.
 */
export async function sendSpans(otlpHttpUrl: string, spans: SpanSpec[]): Promise<void> {
  const byResource = new Map<string, SpanSpec[]>();
  for (const s of spans) {
    const key = JSON.stringify(Object.entries(s.resource).sort());
    const list = byResource.get(key) ?? [];
    list.push(s);
    byResource.set(key, list);
  }
  for (const group of byResource.values()) {
    const provider = new TracerProvider({
      resource: resourceFromAttributes(group[0].resource),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }),
          maxQueueSize: 4096,
          maxExportBatchSize: 512,
          // Export only on forceFlush, so a failed export rejects here instead of being logged.
          scheduledDelayMillis: 3_600_000,
        }),
      ],
    });
    const tracer = provider.getTracer('burnrate-test-harness');
    try {
      let n = 0;
      for (const s of group) {
        const span = tracer.startSpan(s.name ?? 'span', {
          kind: SpanKind.CLIENT,
          attributes: s.attributes,
        });
        if (s.status === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
        if (s.status === 'ok') span.setStatus({ code: SpanStatusCode.OK });
        span.end();
        if (++n % 512 === 0) await provider.forceFlush();
      }
      await provider.forceFlush();
    } finally {
      await provider.shutdown();
    }
  }
}
