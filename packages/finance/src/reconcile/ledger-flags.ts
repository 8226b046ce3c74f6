import { UsageError } from '../prometheus/options.ts';

/** `--from` / `--to`: a UTC day `YYYY-MM-DD`; undefined when not given. */
export function dayFlag(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\d$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new UsageError(`${flag}: expected a day like 2025-03-01, got "${text}"`);
  }
  return text;
}

/**
 * Where the ledger is read from, as `reconcile` and `reprice` take it: `--ledger-url postgres://…`
 * (or BURNRATE_LEDGER_URL) or `--ledger-dir DIR` (JSONL files), exactly one.
 */
export function ledgerSource(
  get: (flag: string) => string | undefined,
  env: Record<string, string | undefined>,
): { ledgerUrl?: string; ledgerDir?: string } {
  const ledgerDir = get('ledger-dir');
  const ledgerUrl = get('ledger-url') ?? (ledgerDir ? undefined : env.BURNRATE_LEDGER_URL);
  if (ledgerUrl && ledgerDir) throw new UsageError('use either --ledger-url or --ledger-dir');
  if (!ledgerUrl && !ledgerDir) {
    throw new UsageError(
      '--ledger-url <postgres://…> (or BURNRATE_LEDGER_URL) or --ledger-dir <dir> is required',
    );
  }
  if (ledgerUrl && !/^postgres(ql)?:\/\//.test(ledgerUrl)) {
    throw new UsageError(
      `--ledger-url (or BURNRATE_LEDGER_URL): expected postgres://…, got "${ledgerUrl.replace(/\/\/[^@/]*@/, '//')}"`,
    );
  }
  return { ledgerUrl, ledgerDir };
}
