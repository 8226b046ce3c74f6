import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { thresholdLabel } from '../alerts/format.ts';
import { SELECTOR_LABELS } from '../config/schema.ts';
import type { BudgetResult } from '../query/evaluate.ts';
import { equalityLabels } from '../query/selector.ts';
import type { Budget, Threshold } from '../types.ts';

/** Labels of burnrate_budget_info besides `budget` and the selector labels. */
const INFO_LABELS = ['period', 'timezone', 'sources', 'enforcement'] as const;

/** burnrate_budget_info's own labels for a budget: `timezone` only for calendar periods. */
export function infoLabels(b: Budget): Partial<Record<(typeof INFO_LABELS)[number], string>> {
  return {
    period: b.periodText,
    ...(b.period.kind === 'calendar' ? { timezone: b.period.timeZone } : {}),
    sources: [...b.sources].sort().join(','),
    enforcement: b.enforcement.mode,
  };
}

export type ErrorReason =
  | 'prometheus_unreachable'
  | 'prometheus_error'
  | 'deadline'
  | 'cost_series_missing'
  | 'alertmanager'
  | 'config_reload'
  | 'cost_data_invalid';

/** The evaluator's own /metrics (names fixed by DESIGN.md and the lead's contract). */
export class EvaluatorMetrics {
  readonly registry = new Registry();
  private readonly budgetLabels = ['budget', ...SELECTOR_LABELS];
  readonly limit = this.gauge('burnrate_budget_limit_usd', 'Budget limit in US dollars.');
  readonly spend = this.gauge(
    'burnrate_budget_spend_usd',
    'Spend so far in the current period, US dollars.',
  );
  readonly forecast = this.gauge(
    'burnrate_budget_forecast_usd',
    'Forecast spend at period end, US dollars.',
  );
  readonly utilization = this.gauge(
    'burnrate_budget_utilization_ratio',
    'Spend so far divided by the limit.',
  );
  /** 1 per budget: what it covers and how, as labels (join with `* on (budget) group_left (...)`). */
  readonly info = new Gauge({
    name: 'burnrate_budget_info',
    help: 'Budget configuration as labels (period, time zone, sources, enforcement), value 1.',
    labelNames: [...this.budgetLabels, ...INFO_LABELS],
    registers: [this.registry],
  });
  readonly periodEnd = this.gauge(
    'burnrate_budget_period_end_timestamp_seconds',
    "Unix time the budget's current calendar period ends and its spend resets (none for rolling windows).",
  );
  readonly alertFiring = new Gauge({
    name: 'burnrate_budget_alert_firing',
    help: '1 while a budget threshold alert fires, 0 otherwise.',
    labelNames: ['budget', 'threshold', 'kind', 'severity'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'burnrate_budget_evaluation_duration_seconds',
    help: 'Duration of one evaluation cycle (queries, alerts).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'burnrate_budget_evaluation_errors_total',
    help: 'Evaluation problems by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly lastSuccess = new Gauge({
    name: 'burnrate_budget_last_success_timestamp_seconds',
    help: 'Unix time of the last evaluation that had cost data.',
    registers: [this.registry],
  });
  readonly dataMissing = new Gauge({
    name: 'burnrate_budget_data_missing',
    help: '1 while Prometheus is unreachable or the cost series are missing.',
    registers: [this.registry],
  });
  readonly dataInvalid = this.gauge(
    'burnrate_budget_data_invalid',
    '1 while the budget spend is NaN or infinite (a poisoned cost counter), 0 otherwise.',
  );
  readonly waiting = new Gauge({
    name: 'burnrate_budget_waiting_for_data',
    help: '1 on a fresh install until the first cost series is seen (nothing alerts), else 0.',
    registers: [this.registry],
  });
  readonly queries = new Gauge({
    name: 'burnrate_budget_evaluation_queries',
    help: 'PromQL queries sent by the last evaluation cycle.',
    registers: [this.registry],
  });
  readonly budgets = new Gauge({
    name: 'burnrate_budget_configured',
    help: 'Number of budgets in the loaded configuration.',
    registers: [this.registry],
  });
  readonly reloadOk = new Gauge({
    name: 'burnrate_budget_config_last_reload_successful',
    help: '1 if the last configuration (re)load succeeded, 0 if the last good one is kept.',
    registers: [this.registry],
  });

  constructor() {
    for (const reason of [
      'prometheus_unreachable',
      'prometheus_error',
      'deadline',
      'cost_series_missing',
      'alertmanager',
      'config_reload',
      'cost_data_invalid',
    ] satisfies ErrorReason[]) {
      this.errors.inc({ reason }, 0);
    }
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, labelNames: this.budgetLabels, registers: [this.registry] });
  }

  /** Replaces every per-budget series with this evaluation's values. */
  setBudgets(
    results: readonly BudgetResult[],
    isFiring: (budget: string, t: Threshold) => boolean,
  ): void {
    const gauges = [
      this.limit,
      this.spend,
      this.forecast,
      this.utilization,
      this.dataInvalid,
      this.info,
      this.periodEnd,
    ];
    for (const g of [...gauges, this.alertFiring]) {
      g.reset();
    }
    for (const r of results) {
      const labels = { budget: r.budget.name, ...equalityLabels(r.budget.matchers) };
      this.limit.set(labels, r.budget.limitUsd);
      this.info.set({ ...labels, ...infoLabels(r.budget) }, 1);
      if (r.budget.period.kind === 'calendar') this.periodEnd.set(labels, r.window.end / 1000);
      this.dataInvalid.set(labels, r.invalid ? 1 : 0);
      if (!r.invalid) {
        this.spend.set(labels, r.spent);
        this.forecast.set(labels, r.forecast);
        this.utilization.set(labels, r.spent / r.budget.limitUsd);
      }
      for (const t of r.budget.thresholds) {
        this.alertFiring.set(
          {
            budget: r.budget.name,
            threshold: thresholdLabel(t.ratio),
            kind: t.kind,
            severity: t.severity,
          },
          isFiring(r.budget.name, t) ? 1 : 0,
        );
      }
    }
  }
}
