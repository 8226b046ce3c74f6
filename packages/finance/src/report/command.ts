import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, CommandIo } from '../command.ts';
import { clientFromArgs, UsageError } from '../prometheus/options.ts';
import { type Format, parseReportArgs, REPORT_USAGE } from './args.ts';
import { buildReport } from './build.ts';
import type { Report } from './model.ts';
import { PeriodError, resolvePeriod } from './period.ts';
import { renderCsv } from './render/csv.ts';
import { renderHtml } from './render/html.ts';
import { renderJson } from './render/json.ts';
import { renderMarkdown } from './render/markdown.ts';
import { TABLE_NAMES, type TableName } from './render/tables.ts';
import { loadRulesFile } from './rules/load.ts';

/** The report in one format (csv: one table). */
export function render(report: Report, format: Format, table?: TableName): string {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'json':
      return renderJson(report);
    case 'html':
      return renderHtml(report);
    case 'csv': {
      const name = table ?? (report.chargeback ? 'chargeback' : 'showback');
      const csv = renderCsv(report, name);
      if (csv === null) throw new UsageError(`--table ${name} needs --rules`);
      return csv;
    }
  }
}

/** Writes every format and every table into `dir`; returns the files written. */
export function writeAll(report: Report, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  put('report.md', renderMarkdown(report));
  put('report.json', renderJson(report));
  put('report.html', renderHtml(report));
  for (const t of TABLE_NAMES) {
    const csv = renderCsv(report, t);
    if (csv !== null) put(`${t}.csv`, csv);
  }
  return files;
}

async function run(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${REPORT_USAGE}\n`);
    return 0;
  }
  const args = parseReportArgs(argv, io.env);
  const rules = args.rules ? loadRulesFile(args.rules) : null;
  if (args.check) {
    io.stdout(
      `${args.rules}: ok, ${rules?.shared.length ?? 0} shared pools, payer ${rules?.payer}\n`,
    );
    return 0;
  }
  let period: ReturnType<typeof resolvePeriod>;
  try {
    period = resolvePeriod({ ...args, now: io.now() });
  } catch (err) {
    if (err instanceof PeriodError) throw new UsageError(err.message);
    throw err;
  }
  const report = await buildReport({
    client: clientFromArgs(args.connection, io.env),
    period,
    by: args.by,
    sources: args.sources,
    rules,
    decimals: args.decimals,
    title: args.title,
    daily: args.daily,
    now: io.now(),
  });
  if (args.outDir) {
    for (const f of writeAll(report, args.outDir)) io.stderr(`wrote ${f}\n`);
    return 0;
  }
  const text = render(report, args.format, args.table);
  if (args.output) {
    writeFileSync(args.output, text);
    io.stderr(`wrote ${args.output}\n`);
  } else io.stdout(text);
  return 0;
}

export const reportCommand: Command = {
  summary: 'showback and chargeback of a period, as Markdown, CSV, JSON or HTML',
  usage: REPORT_USAGE,
  run,
};
