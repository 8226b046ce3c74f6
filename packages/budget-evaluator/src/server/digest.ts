import { UsageError } from '../cli-args.ts';
import type { Logger } from './log.ts';

interface DigestModule {
  startDigestService(opts: {
    configFile: string;
    prometheusUrl: string;
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
): Promise<() => Promise<void>> {
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
    log: (line) => log('info', line),
  });
}
