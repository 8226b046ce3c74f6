import { PrometheusClient } from '../prometheus/client.ts';
import { loadDigestConfig } from './config.ts';
import { startDigestScheduler } from './scheduler.ts';

export interface DigestServiceOptions {
  /** The digest config file (digest/README.md). */
  configFile: string;
  /** Used when the file has no `prometheus_url` (the evaluator passes its own). */
  prometheusUrl: string;
  log: (line: string) => void;
}

/**
 * The digest on its schedule, for the budget evaluator service (`burnrate-evaluator serve
 * --digest-config digest.yaml`): loads the file (a bad one throws DigestConfigError naming file,
 * line and field) and starts the scheduler. Returns the function that stops it.
 */
export function startDigestService(opts: DigestServiceOptions): () => Promise<void> {
  const config = loadDigestConfig(opts.configFile);
  const prometheus = new PrometheusClient({ url: config.prometheusUrl ?? opts.prometheusUrl });
  return startDigestScheduler(config, { prometheus, log: opts.log });
}
