import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createPricer } from '@burnrate/pricing';
import type { Command, CommandIo } from '../../command.ts';
import { parseOutputArgs } from '../../output-args.ts';
import { UsageError } from '../../prometheus/options.ts';
import { readLedgerDir } from '../ledger/jsonl.ts';
import { readLedgerPostgres } from '../ledger/postgres.ts';
import { dayFlag, ledgerSource } from '../ledger-flags.ts';
import { renderReprice } from './render.ts';
import { reprice } from './reprice.ts';

export const REPRICE_USAGE = `Usage: burnrate reprice --prices <file> --from <day> --to <day> (--ledger-url URL | --ledger-dir DIR)

What the ledger's calls would have cost with another prices file (the pricing package's format,
over the catalog), re-priced from their tokens, per provider and model.

  --prices <file>       YAML or JSON prices file (packages/pricing README: "Prices file")
  --from <YYYY-MM-DD>   first UTC day
  --to <YYYY-MM-DD>     end, exclusive
  --ledger-url <url>    PostgreSQL, table burnrate_ledger (BURNRATE_LEDGER_URL)
  --ledger-dir <dir>    the JSONL sink's directory: every *.jsonl and *.jsonl.gz file
  --format <f>          text | md | csv | json (default: from --output's extension, else text)
  --output, -o <file>   write there instead of stdout
  --decimals <n>        digits of every amount, 0-6 (default 2)`;

const FORMATS = ['text', 'md', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** A required `--from` / `--to` day. */
function day(flag: string, text: string | undefined): string {
  if (text === undefined) throw new UsageError(`${flag} <YYYY-MM-DD> is required`);
  return dayFlag(flag, text) as string;
}

async function run(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${REPRICE_USAGE}\n`);
    return 0;
  }
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      args: argv,
      options: {
        prices: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'ledger-url': { type: 'string' },
        'ledger-dir': { type: 'string' },
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
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const prices = s('prices');
  if (!prices) throw new UsageError('--prices <file> is required');
  const from = day('--from', s('from'));
  const to = day('--to', s('to'));
  if (from >= to) throw new UsageError(`--to ${to} must be after --from ${from}`);
  const { ledgerUrl, ledgerDir } = ledgerSource(s, io.env);
  const { decimals, output, format } = parseOutputArgs(s, FORMATS, 'text');
  const pricer = createPricer({ pricesFile: prices }); // a bad file fails before the ledger is read
  const q = {
    from: Date.parse(`${from}T00:00:00Z`),
    to: Date.parse(`${to}T00:00:00Z`),
    providers: null,
  };
  const rows = ledgerDir
    ? readLedgerDir(ledgerDir, q)
    : await readLedgerPostgres(ledgerUrl as string, q);
  const text = renderReprice(
    { from, to, prices, decimals, lines: reprice(rows, pricer) },
    format as Format,
  );
  if (output) {
    writeFileSync(output, text);
    io.stderr(`wrote ${output}\n`);
  } else io.stdout(text);
  return 0;
}

export const repriceCommand: Command = {
  summary: "the ledger's calls re-priced with another prices file, per model",
  usage: REPRICE_USAGE,
  run,
};
