import { UsageError } from '../cli-args.ts';
import { load, type PrometheusConnection } from '../query/prometheus-connection.ts';
import type { Logger } from './log.ts';

interface DigestModule {
  startDigestService(opts: {
    configFile: string;
    prometheusUrl: string;
    /** The evaluator's tenant, auth and extra headers for that Prometheus. */
    prometheusHeaders?: Record<string, string>;
    log: (line: string) => void;
  }): () => Promise<void>;
}

/**
 * The weekly digest on its schedule (`--digest-config`): @burnrate/finance's scheduler, loaded
 * only when asked for (that package builds on this one, not the other way round). A bad digest
 * file throws its own error, naming file, line and field; the service does not start.
 */
export async function startDigest(
  configFile: string,
  prometheusUrl: string,
  log: Logger,
  connection: PrometheusConnection = {},
): Promise<() => Promise<void>> {
  // The same tenant header and credentials as the evaluator's own queries (the evaluator's
  // TLS client certificate and CA are not passed on: the digest's client uses fetch).
  const url = new URL(prometheusUrl);
  const { headers } = load(connection, url);
  url.username = '';
  url.password = '';
  const specifier = '@burnrate/finance/digest';
  let mod: DigestModule;
  try {
    mod = (await import(specifier)) as DigestModule;
  } catch (err) {
    throw new UsageError(
      `--digest-config (or BURNRATE_DIGEST_CONFIG): the digest needs @burnrate/finance installed beside the evaluator (${(err as Error).message})`,
    );
  }
  return mod.startDigestService({
    configFile,
    prometheusUrl: url.toString(),
    prometheusHeaders: headers,
    log: (line) => log('info', line),
  });
}
