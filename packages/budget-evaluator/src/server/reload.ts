import type { BudgetEvaluator } from './evaluator.ts';
import type { Logger } from './log.ts';

export type PartResult = 'reloaded' | 'unchanged' | 'rejected' | 'not configured';

/** What SIGHUP and POST /api/v1/reload did; errors are in the log only (they name files). */
export interface ReloadReport {
  ok: boolean;
  config: 'reloaded' | 'unchanged' | 'rejected';
  tokens: PartResult;
  tls: PartResult;
  prometheus: PartResult;
}

export interface ReloadParts {
  ev: BudgetEvaluator;
  log: Logger;
  /** Re-reads the token files; undefined when none are configured. */
  tokens?: () => void;
  /** Re-reads the certificate files and swaps the server's context. */
  tls?: () => void;
}

function attempt(log: Logger, what: string, fn: (() => void) | undefined): PartResult {
  if (!fn) return 'not configured';
  try {
    fn();
    return 'reloaded';
  } catch (err) {
    // The messages name the flag, file and line, never a secret.
    log('error', `reload: ${what} rejected; keeping the ones in use`, {
      error: (err as Error).message,
    });
    return 'rejected';
  }
}

/** Re-reads everything from files: the budgets, tokens, TLS certificates, Prometheus secrets. */
export function reloadAll(parts: ReloadParts): ReloadReport {
  const config = parts.ev.reloadIfChanged();
  const tokens = attempt(parts.log, 'token files', parts.tokens);
  const tls = attempt(parts.log, 'TLS certificate files', parts.tls);
  const prometheus = attempt(parts.log, 'Prometheus connection files', () =>
    parts.ev.prom.reloadConnection(),
  );
  const ok = config !== 'rejected' && ![tokens, tls, prometheus].includes('rejected');
  const report: ReloadReport = { ok, config, tokens, tls, prometheus };
  parts.log(ok ? 'info' : 'warn', 'reload done', { ...report });
  return report;
}
