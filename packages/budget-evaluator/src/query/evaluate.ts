import { type PeriodWindow, periodWindow } from '../time/period.ts';
import type { Budget } from '../types.ts';
import { forecastSpend } from './forecast.ts';
import {
  cumulativeQuery,
  type GroupMember,
  planGroups,
  presenceQuery,
  type QueryGroup,
  rowKey,
  spendQuery,
} from './plan.ts';
import type { PrometheusClient } from './prometheus.ts';

export interface BudgetResult {
  budget: Budget;
  window: PeriodWindow;
  spent: number;
  forecast: number;
  forecastLow: number;
  forecastHigh: number;
  ratePerSecond: number;
  /** Number of cost series (result rows) the selector matched. */
  matchedSeries: number;
}

export interface Evaluation {
  at: number;
  /** True when no cost series exist in Prometheus at `at`. */
  costSeriesMissing: boolean;
  results: BudgetResult[];
  queries: number;
  groups: number;
}

const CONCURRENCY = 4;

async function runLimited<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/** Sums, per member, the rows its selector matches. */
function sumMembers(
  members: readonly GroupMember[],
  labels: readonly string[],
  rows: Array<{ metric: Record<string, string> }>,
) {
  const index = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = rowKey(labels, r.metric);
    const list = index.get(k);
    if (list) list.push(i);
    else index.set(k, [i]);
  });
  return members.map((m) => {
    if (m.exactKey !== null) return index.get(m.exactKey) ?? [];
    const hits: number[] = [];
    rows.forEach((r, i) => {
      if (m.match(r.metric)) hits.push(i);
    });
    return hits;
  });
}

async function evaluateGroup(
  group: QueryGroup,
  prom: PrometheusClient,
  at: number,
): Promise<BudgetResult[]> {
  const window = periodWindow(group.period, at);
  const seconds = window.elapsedSeconds;
  const stepMs = group.stepSeconds * 1000;
  const steps = Math.max(1, Math.round(group.lookbackSeconds / group.stepSeconds));
  const first = at - steps * stepMs;
  const [spendRows, cumulativeRows] = await Promise.all([
    seconds > 0 ? prom.query(spendQuery(group, seconds), at) : Promise.resolve([]),
    prom.queryRange(cumulativeQuery(group), first, at, group.stepSeconds),
  ]);
  const spendHits = sumMembers(group.members, group.labels, spendRows);
  const cumulativeHits = sumMembers(group.members, group.labels, cumulativeRows);
  const pointIndex = (t: number) => Math.round((t * 1000 - first) / stepMs);
  return group.members.map((m, i) => {
    const spent = spendHits[i].reduce((a, r) => a + Math.max(0, spendRows[r].value), 0);
    // Cumulative spend at each of the steps + 1 points (a series absent at a point counts 0).
    const points = new Array<number>(steps + 1).fill(0);
    for (const r of cumulativeHits[i]) {
      for (const [t, v] of cumulativeRows[r].values) {
        const k = pointIndex(t);
        if (k >= 0 && k <= steps && Number.isFinite(v)) points[k] += v;
      }
    }
    const rates = points.slice(1).map((v, k) => Math.max(0, v - points[k]) / group.stepSeconds);
    const rolling = group.period.kind === 'rolling';
    const f = rolling
      ? forecastSpend(0, rates, window.elapsedSeconds)
      : forecastSpend(spent, rates, window.remainingSeconds);
    return {
      budget: m.budget,
      window,
      spent,
      forecast: Math.max(f.forecast, spent),
      forecastLow: Math.max(f.low, rolling ? 0 : spent),
      forecastHigh: Math.max(f.high, spent),
      ratePerSecond: f.ratePerSecond,
      matchedSeries: spendHits[i].length,
    };
  });
}

/**
 * One evaluation of every budget at `at` (epoch ms): one presence query, then per query group
 * one spend and one rate query. Throws PrometheusError when any query fails.
 */
export async function evaluateBudgets(
  budgets: readonly Budget[],
  prom: PrometheusClient,
  at: number,
  groups: QueryGroup[] = planGroups(budgets),
): Promise<Evaluation> {
  const before = prom.queries;
  const presence = await prom.query(presenceQuery(), at);
  const perGroup = await runLimited(
    groups.map((g) => () => evaluateGroup(g, prom, at)),
    CONCURRENCY,
  );
  return {
    at,
    costSeriesMissing: presence.length === 0,
    results: perGroup.flat(),
    queries: prom.queries - before,
    groups: groups.length,
  };
}
