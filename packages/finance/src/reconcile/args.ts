import { parseArgs } from 'node:util';
import { parseOutputArgs } from '../output-args.ts';
import { UsageError } from '../prometheus/options.ts';
import { dayFlag, ledgerSource } from './ledger-flags.ts';
import { RECONCILE_FORMATS, type ReconcileFormat } from './render.ts';
import type { Provider } from './types.ts';

export const RECONCILE_USAGE = `Usage: burnrate reconcile [options] <export flags> (--ledger-url URL | --ledger-dir DIR)

The ledger against the providers' own usage and cost exports, per day x provider x model:
tokens and dollars side by side, the difference, and its likely cause.

Provider exports (each flag repeatable; .gz files are read too):
  --openai <file>       OpenAI Usage API (completions, embeddings) or Costs API JSON page(s)
  --anthropic <file>    Anthropic Admin API messages usage report or cost report JSON page(s)
  --bedrock <file>      AWS Cost and Usage Report CSV (CUR 2.0 or legacy column names)
  --vertex <file>       Google Cloud Billing BigQuery export rows (.jsonl or .csv)
Ledger (one of):
  --ledger-url <url>    PostgreSQL, table burnrate_ledger (BURNRATE_LEDGER_URL)
  --ledger-dir <dir>    the JSONL sink's directory: every *.jsonl and *.jsonl.gz file
Period (default: the days the exports cover), UTC days, end exclusive:
  --from <YYYY-MM-DD> --to <YYYY-MM-DD>
Tolerance: a line is over when its dollar difference exceeds both (tokens: the percentage,
when the export has no dollars):
  --tolerance-usd <n>   default 0.01
  --tolerance-pct <n>   default 0
Output:
  --format <f>          ${RECONCILE_FORMATS.join(' | ')} (default: from --output's extension, else text)
  --output, -o <file>   write there instead of stdout
  --decimals <n>        digits of every amount, 0-6 (default 2)

Exit codes: 0 every line within tolerance, 3 some line over it, 1 failed (a bad file), 2 bad usage.`;

export interface ReconcileArgs {
  exports: { provider: Provider; file: string }[];
  ledgerUrl?: string;
  ledgerDir?: string;
  from?: string;
  to?: string;
  toleranceUsd: number;
  tolerancePct: number;
  format: ReconcileFormat;
  output?: string;
  decimals: number;
}

const EXPORT_FLAGS: Record<string, Provider> = {
  openai: 'openai',
  anthropic: 'anthropic',
  bedrock: 'aws.bedrock',
  vertex: 'gcp.vertex_ai',
};

function nonNegative(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag}: expected a number >= 0, got "${text}"`);
  }
  return n;
}

export function parseReconcileArgs(argv: string[], env: NodeJS.ProcessEnv): ReconcileArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        openai: { type: 'string', multiple: true },
        anthropic: { type: 'string', multiple: true },
        bedrock: { type: 'string', multiple: true },
        vertex: { type: 'string', multiple: true },
        'ledger-url': { type: 'string' },
        'ledger-dir': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'tolerance-usd': { type: 'string' },
        'tolerance-pct': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        decimals: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const exports = Object.entries(EXPORT_FLAGS).flatMap(([flag, provider]) =>
    ((values[flag] as string[] | undefined) ?? []).map((file) => ({ provider, file })),
  );
  if (exports.length === 0) {
    throw new UsageError(
      'give at least one export: --openai, --anthropic, --bedrock or --vertex <file>',
    );
  }
  const { ledgerUrl, ledgerDir } = ledgerSource(s, env);
  const from = dayFlag('--from', s('from'));
  const to = dayFlag('--to', s('to'));
  if (from && to && from >= to) throw new UsageError(`--to ${to} must be after --from ${from}`);
  const { decimals, output, format } = parseOutputArgs(s, RECONCILE_FORMATS, 'text');
  return {
    exports,
    ledgerUrl,
    ledgerDir,
    from,
    to,
    toleranceUsd: nonNegative('--tolerance-usd', s('tolerance-usd'), 0.01),
    tolerancePct: nonNegative('--tolerance-pct', s('tolerance-pct'), 0),
    format: format as ReconcileFormat,
    output,
    decimals,
  };
}
