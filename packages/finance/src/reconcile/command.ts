import { writeFileSync } from 'node:fs';
import type { Command, CommandIo } from '../command.ts';
import { parseReconcileArgs, RECONCILE_USAGE } from './args.ts';
import { parseExport } from './exports/index.ts';
import { readLedgerDir } from './ledger/jsonl.ts';
import { readLedgerPostgres } from './ledger/postgres.ts';
import type { LedgerQuery } from './ledger/row.ts';
import { reconcile } from './reconcile.ts';
import { type ReconcileResult, renderReconcile } from './render.ts';

/** Exit code when a line differs by more than the tolerance (0 all within, 1 failed, 2 usage). */
export const EXIT_OVER = 3;

const addDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function run(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${RECONCILE_USAGE}\n`);
    return 0;
  }
  const args = parseReconcileArgs(argv, io.env);
  const records = args.exports.flatMap((e) => parseExport(e.provider, e.file));
  const days = records.map((r) => r.day).sort();
  const from = args.from ?? days[0] ?? new Date(io.now()).toISOString().slice(0, 10);
  const to = args.to ?? (days.length > 0 ? addDay(days[days.length - 1]) : addDay(from));
  const inPeriod = records.filter((r) => r.day >= from && r.day < to);
  const query: LedgerQuery = {
    from: Date.parse(`${from}T00:00:00Z`),
    to: Date.parse(`${to}T00:00:00Z`),
    providers: [...new Set(args.exports.map((e) => e.provider))],
  };
  const rows = args.ledgerDir
    ? readLedgerDir(args.ledgerDir, query)
    : await readLedgerPostgres(args.ledgerUrl as string, query);
  const tolerance = { usd: args.toleranceUsd, pct: args.tolerancePct };
  const result: ReconcileResult = {
    from,
    to,
    ledger: args.ledgerDir ?? (args.ledgerUrl as string).replace(/\/\/[^@/]*@/, '//'),
    exports: args.exports.map((e) => e.file),
    tolerance,
    decimals: args.decimals,
    lines: reconcile(rows, inPeriod, tolerance),
  };
  const text = renderReconcile(result, args.format);
  if (args.output) {
    writeFileSync(args.output, text);
    io.stderr(`wrote ${args.output}\n`);
  } else io.stdout(text);
  return result.lines.some((l) => l.over) ? EXIT_OVER : 0;
}

export const reconcileCommand: Command = {
  summary: "the ledger against the providers' usage and cost exports, per day and model",
  usage: RECONCILE_USAGE,
  run,
};
