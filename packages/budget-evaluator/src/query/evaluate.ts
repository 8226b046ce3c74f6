import { type PeriodWindow, periodWindow } from '../time/period.ts';
import type { Budget, Source } from '../types.ts';
import { forecastSpend } from './forecast.ts';
import {
  cumulativeQuery,
  type GroupMember,
  planGroups,
  presenceQuery,
  type QueryGroup,
  RESETS_LABEL,
  rowKey,
  spendQuery,
} from './plan.ts';
import type { PrometheusClient, Sample } from './prometheus.ts';
import { ResetCache, resetCorrections } from './resets.ts';

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
  /** The spend is NaN or infinite (a poisoned counter): state `invalid_data`. */
  invalid: boolean;
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

/** The spend rows of a group: per-series growth, plus what counters had before each reset. */
async function spendRows(
  group: QueryGroup,
  prom: PrometheusClient,
  at: number,
  seconds: number,
  cache: ResetCache,
): Promise<Sample[]> {
  if (seconds <= 0) return [];
  const answer = await prom.query(spendQuery(group, seconds), at);
  const rows = answer.filter((r) => r.metric[RESETS_LABEL] === undefined);
  const reset = answer.flatMap((r) => r.metric[RESETS_LABEL] ?? []) as Source[];
  for (const source of reset) {
    rows.push(...(await resetCorrections(prom, source, at, seconds, cache)));
  }
  return rows;
}

async function evaluateGroup(
  group: QueryGroup,
  prom: PrometheusClient,
  at: number,
  cache: ResetCache,
): Promise<BudgetResult[]> {
  const window = periodWindow(group.period, at);
  const seconds = window.elapsedSeconds;
  const stepMs = group.stepSeconds * 1000;
  const steps = Math.max(1, Math.round(group.lookbackSeconds / group.stepSeconds));
  const first = at - steps * stepMs;
  // The period's whole seconds end at `at` rounded down: so `[N s]` starts exactly at the
  // period start (a sample in the first second after midnight belongs to the new day).
  const whole = Math.floor(at / 1000) * 1000;
  const [spend, cumulativeRows] = await Promise.all([
    spendRows(group, prom, whole, seconds, cache),
    prom.queryRange(cumulativeQuery(group), first, at, group.stepSeconds),
  ]);
  const spendHits = sumMembers(group.members, group.labels, spend);
  const cumulativeHits = sumMembers(group.members, group.labels, cumulativeRows);
  const pointIndex = (t: number) => Math.round((t * 1000 - first) / stepMs);
  return group.members.map((m, i) => {
    const raw = spendHits[i].reduce((a, r) => a + spend[r].value, 0);
    // NaN or an infinity (a poisoned counter) is not $0: the budget is reported invalid.
    const invalid = !Number.isFinite(raw);
    const spent = invalid ? raw : Math.max(0, raw);
    // Cumulative spend at each of the steps + 1 points (a series absent at a point counts 0).
    const points = new Array<number>(steps + 1).fill(0);
    for (const r of cumulativeHits[i]) {
      for (const [t, v] of cumulativeRows[r].values) {
        const k = pointIndex(t);
        if (k >= 0 && k <= steps && Number.isFinite(v)) points[k] += v;
      }
    }
    const rolling = group.period.kind === 'rolling';
    // A calendar period's forecast uses only steps inside the period: yesterday's rate says
    // nothing about a new day (right after midnight there is no step yet: forecast = spent).
    const rates = points
      .slice(1)
      .map((v, k) => Math.max(0, v - points[k]) / group.stepSeconds)
      .filter((_, k) => rolling || first + k * stepMs >= window.start);
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
      invalid,
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
  resets: ResetCache = new ResetCache(),
): Promise<Evaluation> {
  const before = prom.queries;
  const presence = await prom.query(presenceQuery(), at);
  const perGroup = await runLimited(
    groups.map((g) => () => evaluateGroup(g, prom, at, resets)),
    CONCURRENCY,
  );
  resets.sweep();
  return {
    at,
    costSeriesMissing: presence.length === 0,
    results: perGroup.flat(),
    queries: prom.queries - before,
    groups: groups.length,
  };
}
