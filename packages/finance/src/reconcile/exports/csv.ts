import { ExportError } from '../types.ts';
import { readText } from './read.ts';

/** One CSV record as header → value, with the line it starts on. */
export interface CsvRow {
  line: number;
  get(column: string): string | undefined;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (any || cell !== '') out.push({ line: start, cells: [...cells, cell] });
      cells = [];
      cell = '';
      any = false;
      line++;
      start = line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || cell !== '') out.push({ line: start, cells: [...cells, cell] });
  return out;
}

/**
 * A CSV file with a header row. Header names are normalised with `normalise` (e.g. the legacy
 * CUR's `lineItem/UsageStartDate` → `line_item_usage_start_date`).
 */
export function readCsv(
  file: string,
  normalise: (header: string) => string = (h) => h,
): { headers: string[]; rows: CsvRow[] } {
  const records = parseCsv(readText(file).replace(/^\uFEFF/, ''));
  const head = records.shift();
  if (!head) throw new ExportError(file, 1, 'header', 'the file is empty');
  const headers = head.cells.map((h) => normalise(h.trim()));
  const index = new Map(headers.map((h, i) => [h, i]));
  const rows = records.map((r) => {
    if (r.cells.length !== headers.length) {
      throw new ExportError(
        file,
        r.line,
        'row',
        `${r.cells.length} fields where the header has ${headers.length}`,
      );
    }
    return {
      line: r.line,
      get: (column: string) => {
        const i = index.get(column);
        return i === undefined ? undefined : r.cells[i];
      },
    };
  });
  return { headers, rows };
}
