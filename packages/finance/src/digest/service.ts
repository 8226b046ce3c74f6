import { PrometheusClient } from '../prometheus/client.ts';
import { loadDigestConfig } from './config.ts';
import { type SchedulerDeps, startDigestScheduler } from './scheduler.ts';

export interface DigestServiceOptions {
  /** The digest config file (digest/README.md). */
  configFile: string;
  /** Used when the file has no `prometheus_url` (the evaluator passes its own). */
  prometheusUrl: string;
  /** Headers for that Prometheus (the evaluator's tenant and credentials); not for a file's own URL. */
  prometheusHeaders?: Record<string, string>;
  log: (line: string) => void;
  /** The clock and timers (tests). */
  clock?: Pick<SchedulerDeps, 'now' | 'setTimer' | 'clearTimer'>;
}

/**
 * The digest on its schedule, for the budget evaluator service (`burnrate-evaluator serve
 * --digest-config digest.yaml`): loads the file (a bad one throws DigestConfigError naming file,
 * line and field) and starts the scheduler. Returns the function that stops it.
 */
export function startDigestService(opts: DigestServiceOptions): () => Promise<void> {
  const config = loadDigestConfig(opts.configFile);
  const prometheus = config.prometheusUrl
    ? new PrometheusClient({ url: config.prometheusUrl })
    : new PrometheusClient({ url: opts.prometheusUrl, headers: opts.prometheusHeaders });
  return startDigestScheduler(config, { ...opts.clock, prometheus, log: opts.log });
}
