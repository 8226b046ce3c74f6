import { BudgetSpanProcessor } from '@burnrate/budget';
import { BurnrateSpanProcessor } from '@burnrate/core';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { BatchOptions } from './batch-options.ts';
import { ledgerProcessorFromEnv } from './ledger-processor.ts';
import type { Metering } from './metering.ts';

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
  const processors: SpanProcessor[] = [
    new BurnrateSpanProcessor() as unknown as SpanProcessor,
    new BudgetSpanProcessor() as unknown as SpanProcessor,
  ];
  if (metering) processors.push(metering.processor);
  // The ledger (BURNRATE_LEDGER=on): one log record per priced or refused call; nothing when off.
  const ledger = ledgerProcessorFromEnv(process.env, (m) =>
    console.error(`[burnrate] configuration error: ${m}`),
  );
  if (ledger) processors.push(ledger);
  if (exporter) {
    const batch = new BatchSpanProcessor({
      exporter: metering ? metering.countExportFailures(exporter) : exporter,
      ...batchOptions,
    });
    processors.push(metering ? metering.countQueueDrops(batch) : batch);
  }
  return processors;
}
