import type { MissingCode, StatusDocument } from './options.ts';

const REASONS: Record<MissingCode, string> = {
  cost_series_missing: 'no burnrate cost series in Prometheus',
  prometheus_unreachable: 'Prometheus is unreachable (details in the evaluator log)',
  prometheus_error: 'the Prometheus query failed (details in the evaluator log)',
  deadline: 'evaluation keeps running out of time (details in the evaluator log)',
};

export const RELOAD_FAILED =
  'the last config reload failed; the last good config is in use (details in the evaluator log)';

/**
 * GET /api/v1/budgets as read-only callers (and the SDK's gates) see it: every budget with what
 * a gate needs (selector, sources, limit, spend, state, enforcement), and no detail of the
 * machine: no config file path, no Prometheus URL, no error text (the log has those; admins
 * see them at GET /api/v1/admin/status).
 */
export function publicStatus(doc: StatusDocument) {
  return {
    evaluatedAt: doc.evaluatedAt,
    lastSuccessAt: doc.lastSuccessAt,
    dataMissing: doc.dataMissing,
    dataMissingReason: doc.dataMissingCode ? REASONS[doc.dataMissingCode] : null,
    dataMissingCode: doc.dataMissingCode,
    waitingForData: doc.waitingForData,
    config: {
      loadedAt: doc.config.loadedAt,
      budgets: doc.config.budgets,
      lastReloadError: doc.config.lastReloadError === null ? null : RELOAD_FAILED,
    },
    budgets: doc.budgets,
  };
}
