import { UsageError } from '../cli-args.ts';
import type { PrometheusConnection } from '../query/prometheus-connection.ts';
import type { Logger } from './log.ts';

interface DigestModule {
  startDigestService(opts: {
    configFile: string;
    prometheusUrl: string;
    /** The evaluator's tenant, extra headers, credentials and TLS for that Prometheus. */
    prometheusConnection?: PrometheusConnection;
    log: (line: string) => void;
  }): () => Promise<void>;
}

/**
 * The weekly digest on its schedule (`--digest-config`): @burnrate/finance's scheduler, loaded
 * only when asked for (that package builds on this one, not the other way round). A bad digest
 * file, or a connection file that cannot be read, throws its own error naming the file; the
 * service does not start.
 */
export async function startDigest(
  configFile: string,
  prometheusUrl: string,
  log: Logger,
  connection: PrometheusConnection = {},
): Promise<() => Promise<void>> {
  // The same tenant header, credentials and TLS settings as the evaluator's own queries: the
  // digest's client is this package's PrometheusClient (credentials in the URL are moved into
  // a header by it, and never shown).
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
    prometheusUrl,
    prometheusConnection: connection,
    log: (line) => log('info', line),
  });
}
