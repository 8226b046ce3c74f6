import type { AlertTracker } from '../alerts/tracker.ts';
import type { BudgetResult } from '../query/evaluate.ts';
import type { BudgetConfig } from '../types.ts';
import { iso } from './evaluator-helpers.ts';
import type { MissingCode, StatusDocument } from './options.ts';
import { budgetStatus } from './status.ts';

export interface StatusInputs {
  evaluatedAt: number | null;
  lastSuccessAt: number | null;
  /** Data missing: the full reason (log, admins) and its code (everyone else). */
  missing: { reason: string; code: MissingCode | null } | null;
  /** A fresh install still waiting for its first cost series. */
  waiting: boolean;
  config: BudgetConfig;
  configFile: string;
  configLoadedAt: number;
  lastReloadError: string | null;
  results: readonly BudgetResult[];
  alerts: AlertTracker;
}

/** The evaluator's full status (GET /api/v1/admin/status; public-status.ts trims it). */
export function statusDocument(s: StatusInputs): StatusDocument {
  const stale = s.missing !== null;
  const configured = new Set(s.config.budgets.map((b) => b.name));
  return {
    evaluatedAt: iso(s.evaluatedAt),
    lastSuccessAt: iso(s.lastSuccessAt),
    dataMissing: stale,
    dataMissingReason: s.missing?.reason ?? null,
    dataMissingCode: s.missing?.code ?? null,
    waitingForData: s.waiting && !stale,
    config: {
      file: s.configFile,
      loadedAt: new Date(s.configLoadedAt).toISOString(),
      budgets: s.config.budgets.length,
      lastReloadError: s.lastReloadError,
    },
    budgets: s.results
      .filter((r) => configured.has(r.budget.name))
      .map((r) => budgetStatus(r, s.alerts, s.lastSuccessAt ?? 0, stale, s.waiting && !stale)),
  };
}
