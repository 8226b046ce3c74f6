import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '../exports/read.ts';
import { ExportError } from '../types.ts';
import { type LedgerQuery, type LedgerRow, ledgerRow, wanted } from './row.ts';

/** Every `*.jsonl` and `*.jsonl.gz` file in `dir` (the ledger's JSONL sink), in name order. */
export function readLedgerDir(dir: string, q: LedgerQuery): LedgerRow[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new ExportError(
      dir,
      null,
      '--ledger-dir',
      `cannot read the directory (${(err as { code?: string }).code})`,
    );
  }
  const files = names.filter((n) => /\.jsonl(\.gz)?$/.test(n)).sort();
  if (files.length === 0)
    throw new ExportError(dir, null, '--ledger-dir', 'no *.jsonl or *.jsonl.gz files');
  const rows: LedgerRow[] = [];
  for (const name of files) {
    const file = join(dir, name);
    readText(file)
      .split('\n')
      .forEach((text, i) => {
        if (text.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          throw new ExportError(file, i + 1, 'json', `not valid JSON (${(err as Error).message})`);
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          throw new ExportError(file, i + 1, 'row', 'expected one JSON object a line');
        }
        const row = ledgerRow(value as Record<string, unknown>, file, i + 1);
        if (wanted(row, q)) rows.push(row);
      });
  }
  return rows;
}
