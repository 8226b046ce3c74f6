// `burnrate digest`: run the weekly digest once (the evaluator service runs it on schedule).
import { parseArgs } from 'node:util';
import { CONNECTION_USAGE, clientFromArgs, PROMETHEUS_FLAGS } from '../prometheus/options.ts';
import { DigestConfigError, loadDigestConfig } from './config.ts';
import { digestContent } from './content.ts';
import type { PromQuery } from './prometheus.ts';
import { renderText, renderWebhook } from './render.ts';
import { describeOutcome, type RunDeps, runDigest } from './run.ts';

export const DIGEST_USAGE = `Usage: burnrate digest --config <digest.yaml> [options]

Builds the weekly digest from Prometheus and sends it to every channel of the config once.

Options:
  --config <file>       digest config (YAML): schedule, timezone, channels
  --prometheus <url>    Prometheus base URL (default: the config's prometheus_url)
  --now <time>          end of the digest week, ISO 8601 (default: now)
  --channel <name>      send only to this channel (repeatable)
  --dry-run             print the digest instead of sending it
  --format <text|json>  what --dry-run prints (default text)
  -h, --help            this help

Prometheus connection (flag, or environment variable), for --prometheus or prometheus_url:
${CONNECTION_USAGE}

Exit codes: 0 sent everywhere; 1 a channel failed or a section could not be computed (the
other channels still got the digest); 2 bad arguments or config.`;

export interface DigestIo {
  out?: (text: string) => void;
  err?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Replaces the Prometheus client (tests). */
  prometheus?: (url: string) => PromQuery;
  deps?: Omit<RunDeps, 'prometheus'>;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      ...PROMETHEUS_FLAGS,
      config: { type: 'string' },
      now: { type: 'string' },
      channel: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

/** Runs `burnrate digest …` (argv without the command name); resolves to the exit code. */
export async function digestCommand(argv: string[], io: DigestIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = io.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (e) {
    err(`burnrate digest: ${(e as Error).message}\n\n${DIGEST_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(DIGEST_USAGE);
    return 0;
  }
  if (!values.config) {
    err(`burnrate digest: --config is required\n\n${DIGEST_USAGE}`);
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    err(`burnrate digest: --format must be text or json, got "${format}"`);
    return 2;
  }
  let now: number | undefined;
  if (values.now !== undefined) {
    now = Date.parse(values.now);
    if (!Number.isFinite(now)) {
      err(`burnrate digest: --now: not an ISO 8601 time: "${values.now}"`);
      return 2;
    }
  }
  let config: ReturnType<typeof loadDigestConfig>;
  try {
    config = loadDigestConfig(values.config, { env: io.env ?? process.env });
  } catch (e) {
    if (e instanceof DigestConfigError) {
      err(`burnrate digest: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const unknown = (values.channel ?? []).filter((n) => !config.channels.some((c) => c.name === n));
  if (unknown.length > 0) {
    const names = config.channels.map((c) => c.name).join(', ');
    err(`burnrate digest: --channel: no channel named ${unknown.join(', ')} (have: ${names})`);
    return 2;
  }
  const url = values.prometheus ?? config.prometheusUrl;
  if (!url) {
    err('burnrate digest: no Prometheus URL: pass --prometheus or set prometheus_url');
    return 2;
  }
  let prometheus: PromQuery;
  try {
    // The connection flags and BURNRATE_PROMETHEUS_* variables, as for `burnrate report`.
    prometheus = io.prometheus
      ? io.prometheus(url)
      : clientFromArgs({ ...values, prometheus: url }, io.env ?? process.env);
  } catch (e) {
    err(`burnrate digest: ${(e as Error).message}`);
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  const outcome = await runDigest(
    config,
    { ...io.deps, prometheus },
    { now, channels: values.channel, deliver: !dryRun },
  );
  if (dryRun) {
    const content = digestContent(outcome.data);
    out(
      format === 'json'
        ? JSON.stringify(renderWebhook(outcome.data, content), null, 2)
        : renderText(content),
    );
  }
  for (const line of describeOutcome(outcome)) {
    (line.includes('failed') || line.includes('could not') ? err : out)(line);
  }
  return outcome.ok ? 0 : 1;
}
