import { BudgetSpanProcessor } from '@burnrate/budget';
import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor, LabelCap } from '@burnrate/core';
import type { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { BatchOptions } from './batch-options.ts';
import { ledgerProcessorFromEnv } from './ledger-processor.ts';
import type { Metering } from './metering.ts';
import { type WarmUp, warmSpanPath } from './warm-up.ts';

/**
 * The one import's span processors, in order: pricing and label caps, budget scopes' session and
 * agent, the process's cost counters (when metering is on), the ledger's events (when
 * BURNRATE_LEDGER=on), then the batch export, wrapped so that
 * spans it fails to deliver or drops are counted with their dollars. The bench composes the same
 * chain (bench/openai-worker.ts), so what it measures is what a service runs.
 */
export function burnrateSpanProcessors(
  exporter: SpanExporter | undefined,
  metering: Metering | undefined,
  batchOptions: BatchOptions = {},
): SpanProcessor[] {
  return chain(exporter, metering, batchOptions, undefined);
}

/**
 * Runs the chain's span path once in idle tasks after start-up (warm-up.ts), on fresh instances
 * of the same processors: their own label cap and cost meter, no ledger, an exporter that
 * discards, so nothing reaches the service's telemetry.
 */
export function warmBurnrateSpanPath(metering: boolean, resource?: Resource): WarmUp {
  return warmSpanPath((exporter) => {
    const meter: Pick<Metering, 'processor'> | undefined = metering
      ? { processor: new CostMeterSpanProcessor(new CostMeter()) as unknown as SpanProcessor }
      : undefined;
    return chain(exporter, meter, {}, new LabelCap());
  }, resource);
}

function chain(
  exporter: SpanExporter | undefined,
  metering: (Pick<Metering, 'processor'> & Partial<Metering>) | undefined,
  batchOptions: BatchOptions,
  privateCap: LabelCap | undefined,
): SpanProcessor[] {
  const processors: SpanProcessor[] = [
    new BurnrateSpanProcessor({ labelCap: privateCap }) as unknown as SpanProcessor,
    new BudgetSpanProcessor() as unknown as SpanProcessor,
  ];
  if (metering) processors.push(metering.processor);
  // The ledger (BURNRATE_LEDGER=on): one log record per priced or refused call; nothing when off.
  const ledger = privateCap
    ? undefined
    : ledgerProcessorFromEnv(process.env, (m) =>
        console.error(`[burnrate] configuration error: ${m}`),
      );
  if (ledger) processors.push(ledger);
  if (exporter) {
    const batch = new BatchSpanProcessor({
      exporter: metering?.countExportFailures?.(exporter) ?? exporter,
      ...batchOptions,
    });
    processors.push(metering?.countQueueDrops?.(batch) ?? batch);
  }
  return processors;
}
