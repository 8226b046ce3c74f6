import type { BudgetResult } from '../query/evaluate.ts';
import { formatSelector } from '../query/selector.ts';
import { describePeriod } from '../time/period.ts';
import type { Threshold } from '../types.ts';

/** `$1,234.50` (toLocaleString is slow when formatting thousands of alerts a cycle). */
export function usd(n: number): string {
  const [int, frac] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 ? '-' : ''}$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))}%`;
}

/** The threshold label value: the ratio as written, e.g. "0.5", "1". */
export function thresholdLabel(ratio: number): string {
  return String(Number(ratio.toFixed(6)));
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (n: number) => String(Number(n.toFixed(6)));

/** Annotations of a threshold alert: the numbers a person needs, and the dashboard link. */
export function thresholdAnnotations(
  r: BudgetResult,
  t: Threshold,
  dashboard: string | null,
): Record<string, string> {
  const b = r.budget;
  const value = t.kind === 'actual' ? r.spent : r.forecast;
  const rolling = b.period.kind === 'rolling';
  const what =
    t.kind === 'actual'
      ? `actual spend ${usd(r.spent)}`
      : `forecast spend ${usd(r.forecast)} by ${rolling ? 'the end of a full window' : iso(r.window.end)}`;
  const out: Record<string, string> = {
    summary: `Budget ${b.name}: ${what} is ${percent(value / b.limitUsd)} of the ${usd(b.limitUsd)} ${describePeriod(b.period)} limit (threshold ${percent(t.ratio)} ${t.kind})`,
    description:
      `${b.description ? `${b.description}. ` : ''}Spent ${usd(r.spent)} of ${usd(b.limitUsd)} since ${iso(r.window.start)}; ` +
      `forecast ${usd(r.forecast)} (range ${usd(r.forecastLow)} to ${usd(r.forecastHigh)}) ` +
      `${rolling ? 'for a full window at the recent rate' : `at period end ${iso(r.window.end)}`}.`,
    spent_usd: num(r.spent),
    limit_usd: num(b.limitUsd),
    forecast_usd: num(r.forecast),
    forecast_low_usd: num(r.forecastLow),
    forecast_high_usd: num(r.forecastHigh),
    utilization: num(r.spent / b.limitUsd),
    period: describePeriod(b.period),
    period_start: iso(r.window.start),
    period_end: iso(r.window.end),
    selector: formatSelector(b.matchers),
  };
  if (dashboard) out.dashboard = dashboard;
  return out;
}

/** Fills `{budget}` in the dashboard URL template. */
export function dashboardLink(template: string | null, budget: string): string | null {
  return template ? template.replaceAll('{budget}', encodeURIComponent(budget)) : null;
}
