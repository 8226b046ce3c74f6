import { PrometheusClient, type PrometheusConnection } from '@burnrate/budget-evaluator';
import { loadDigestConfig } from './config.ts';
import { type SchedulerDeps, startDigestScheduler } from './scheduler.ts';

export interface DigestServiceOptions {
  /** The digest config file (digest/README.md). */
  configFile: string;
  /** Used when the file has no `prometheus_url` (the evaluator passes its own). */
  prometheusUrl: string;
  /**
   * Tenant, headers, credentials and TLS for that Prometheus (the evaluator's own, files read
   * at start); not for a file's own URL.
   */
  prometheusConnection?: PrometheusConnection;
  log: (line: string) => void;
  /** The clock and timers (tests). */
  clock?: Pick<SchedulerDeps, 'now' | 'setTimer' | 'clearTimer'>;
}

/**
 * The digest on its schedule, for the budget evaluator service (`burnrate-evaluator serve
 * --digest-config digest.yaml`): loads the file (a bad one throws DigestConfigError naming file,
 * line and field; an unreadable connection file ConnectionError) and starts the scheduler.
 * Returns the function that stops it.
 */
export function startDigestService(opts: DigestServiceOptions): () => Promise<void> {
  const config = loadDigestConfig(opts.configFile);
  // A week of increase() can be slow on a large store: a minute per query, as `burnrate digest`.
  const timeoutMs = 60_000;
  const prometheus = config.prometheusUrl
    ? new PrometheusClient({ url: config.prometheusUrl, timeoutMs })
    : new PrometheusClient({
        url: opts.prometheusUrl,
        timeoutMs,
        connection: opts.prometheusConnection,
      });
  const stop = startDigestScheduler(config, { ...opts.clock, prometheus, log: opts.log });
  return async () => {
    await stop();
    prometheus.close();
  };
}
