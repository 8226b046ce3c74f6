import { extname } from 'node:path';
import { UsageError } from './prometheus/options.ts';

/** What an output file's extension says its format is (`.txt` text, `.markdown` md, `.htm` html). */
const EXTENSION_FORMATS: Record<string, string> = { txt: 'text', markdown: 'md', htm: 'html' };

/**
 * `--decimals`, `--output` and `--format` as every `burnrate` command reads them: the format from
 * the flag, else from the output file's extension, else `fallback`; one UsageError naming the flag.
 */
export function parseOutputArgs<F extends string>(
  get: (flag: string) => string | undefined,
  formats: readonly F[],
  fallback: F,
): { decimals: number; output: string | undefined; format: F } {
  const decimalsText = get('decimals') ?? '2';
  const decimals = Number(decimalsText);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new UsageError(`--decimals: expected 0 to 6, got "${decimalsText}"`);
  }
  const output = get('output');
  let format = get('format');
  if (format === undefined && output) {
    const ext = extname(output).slice(1).toLowerCase();
    format = EXTENSION_FORMATS[ext] ?? ext;
    if (!(formats as readonly string[]).includes(format)) {
      throw new UsageError(`--output: cannot tell the format from "${output}": add --format`);
    }
  }
  format ??= fallback;
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected ${formats.join(', ')}, got "${format}"`);
  }
  return { decimals, output, format: format as F };
}
