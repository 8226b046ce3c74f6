import { parseArgs } from 'node:util';
import type { ArgValues } from '@burnrate/budget-evaluator';
import { parseOutputArgs } from '../output-args.ts';
import { PROMETHEUS_FLAGS, PROMETHEUS_USAGE, UsageError } from '../prometheus/options.ts';
import { TABLE_NAMES, type TableName } from './render/tables.ts';
import { GROUP_LABELS, type GroupLabel, SOURCES, type Source } from './spend.ts';

export const FORMATS = ['md', 'csv', 'json', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const REPORT_USAGE = `Usage: burnrate report [options]

Showback and chargeback of LLM and vector-DB spend from Prometheus.

Period (default: this month so far):
  --period <p>          month | quarter | last-month | last-quarter | YYYY-MM | YYYY-Qn
  --from <t> --to <t>   a custom range, end exclusive: 2025-02-01 (local midnight) or 2025-02-01T12:00:00Z
  --timezone <tz>       IANA zone of the calendar (BURNRATE_TIMEZONE, default UTC)
Content:
  --by <labels>         comma-separated: ${GROUP_LABELS.join(', ')} (default team)
  --sources <list>      llm,vectordb (default both)
  --rules <file>        chargeback rules (YAML); --check only validates the file and exits
  --decimals <n>        digits of every amount, 0-6 (default 2: cents)
  --title <text>        report title
  --no-daily            leave out the spend per day (one query per day)
Output:
  --format <f>          md | csv | json | html (default: from --output's extension, else md)
  --table <t>           for csv: ${TABLE_NAMES.join(' | ')} (default chargeback with --rules, else showback)
  --output, -o <file>   write there instead of stdout
  --out-dir <dir>       write every format and table: report.{md,json,html}, <table>.csv

${PROMETHEUS_USAGE}`;

export interface ReportArgs {
  period?: string;
  from?: string;
  to?: string;
  timeZone: string;
  by: GroupLabel[];
  sources: Source[];
  rules?: string;
  check: boolean;
  decimals: number;
  title?: string;
  daily: boolean;
  format: Format;
  table?: TableName;
  output?: string;
  outDir?: string;
  connection: ArgValues;
}

function list<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (bad.length > 0 || items.length === 0) {
    throw new UsageError(
      `${flag}: unknown "${bad.join(',')}"; expected some of ${allowed.join(', ')}`,
    );
  }
  return [...new Set(items)] as T[];
}

export function parseReportArgs(argv: string[], env: NodeJS.ProcessEnv): ReportArgs {
  let values: ArgValues;
  try {
    values = parseArgs({
      args: argv,
      options: {
        ...PROMETHEUS_FLAGS,
        period: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        timezone: { type: 'string' },
        by: { type: 'string' },
        sources: { type: 'string' },
        rules: { type: 'string' },
        check: { type: 'boolean' },
        decimals: { type: 'string' },
        title: { type: 'string' },
        'no-daily': { type: 'boolean' },
        format: { type: 'string' },
        table: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'out-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const { decimals, output, format } = parseOutputArgs(s, FORMATS, 'md');
  const table = s('table');
  if (table !== undefined && !(TABLE_NAMES as readonly string[]).includes(table)) {
    throw new UsageError(`--table: expected ${TABLE_NAMES.join(', ')}, got "${table}"`);
  }
  if (table !== undefined && format !== 'csv')
    throw new UsageError('--table goes with --format csv');
  if (output && s('out-dir')) throw new UsageError('use either --output or --out-dir');
  if (values.check && !s('rules')) throw new UsageError('--check needs --rules <file>');
  const connection: ArgValues = {};
  for (const k of Object.keys(PROMETHEUS_FLAGS)) connection[k] = values[k];
  return {
    period: s('period'),
    from: s('from'),
    to: s('to'),
    timeZone: s('timezone') ?? env.BURNRATE_TIMEZONE ?? 'UTC',
    by: list(s('by') ?? 'team', GROUP_LABELS, '--by'),
    sources: list(s('sources') ?? 'llm,vectordb', SOURCES, '--sources').sort() as Source[],
    rules: s('rules'),
    check: values.check === true,
    decimals,
    title: s('title'),
    daily: values['no-daily'] !== true,
    format: format as Format,
    table: table as TableName | undefined,
    output,
    outDir: s('out-dir'),
    connection,
  };
}
