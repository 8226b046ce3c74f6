/** The batch span processor's tunables (its options besides the exporter). */
export interface BatchOptions {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

const VARIABLES = {
  OTEL_BSP_SCHEDULE_DELAY: 'scheduledDelayMillis',
  OTEL_BSP_EXPORT_TIMEOUT: 'exportTimeoutMillis',
  OTEL_BSP_MAX_QUEUE_SIZE: 'maxQueueSize',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'maxExportBatchSize',
} as const;

/**
 * The batch span processor's settings from the standard `OTEL_BSP_*` variables. A value that is
 * not a positive integer is reported (naming the variable) and the default is kept.
 */
export function batchOptionsFromEnv(
  env: Record<string, string | undefined>,
  report: (message: string) => void,
): BatchOptions {
  const options: BatchOptions = {};
  for (const [variable, field] of Object.entries(VARIABLES)) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      report(
        `${variable}: expected a positive whole number, got ${JSON.stringify(raw)}; using the default`,
      );
      continue;
    }
    options[field] = value;
  }
  return options;
}
