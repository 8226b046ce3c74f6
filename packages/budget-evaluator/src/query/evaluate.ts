import { type PeriodWindow, periodWindow } from '../time/period.ts';
import type { Budget, Source } from '../types.ts';
import { forecastSpend } from './forecast.ts';
import { cumulativeByGroup, forecastGrid, type RowPoints } from './forecast-points.ts';
import { LabelRows, sumRows } from './ledger/label-rows.ts';
import { type LedgerWindow, SourceLedger, type WindowResult } from './ledger/source-ledger.ts';
import { planGroups, presenceQuery, type QueryGroup } from './plan.ts';
import type { PrometheusClient } from './prometheus.ts';

export interface BudgetResult {
  budget: Budget;
  window: PeriodWindow;
  spent: number;
  forecast: number;
  forecastLow: number;
  forecastHigh: number;
  ratePerSecond: number;
  /** Number of cost series rows (per the budget's selector labels) the selector matched. */
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

/** What the evaluator keeps between cycles: per cost metric, the per-series spend state. */
export class SpendState {
  readonly ledgers = new Map<Source, SourceLedger>();
  private readonly rows = new Map<string, LabelRows>();

  ledger(source: Source): SourceLedger {
    let l = this.ledgers.get(source);
    if (!l) {
      l = new SourceLedger(source);
      this.ledgers.set(source, l);
    }
    return l;
  }

  labelRows(labels: readonly string[]): LabelRows {
    const key = labels.join(',');
    let r = this.rows.get(key);
    if (!r) {
      r = new LabelRows(labels);
      this.rows.set(key, r);
    }
    return r;
  }

  /** Forgets every series (the next cycle rebuilds from Prometheus). */
  reset(): void {
    for (const l of this.ledgers.values()) l.reset();
    this.rows.clear();
  }
}

const ledgerWindow = (group: QueryGroup, w: PeriodWindow): LedgerWindow => ({
  key: w.id,
  start: w.start,
  rolling: group.period.kind === 'rolling',
});

/** Windows per source that the groups need, evaluated at `whole`. */
async function spendBySource(
  prom: PrometheusClient,
  state: SpendState,
  groups: readonly QueryGroup[],
  whole: number,
  rebuild = true,
): Promise<Map<Source, Map<string, WindowResult>> | null> {
  const need = new Map<Source, Map<string, LedgerWindow>>();
  for (const g of groups) {
    const lw = ledgerWindow(g, periodWindow(g.period, whole));
    for (const s of g.sources) {
      let m = need.get(s);
      if (!m) {
        m = new Map();
        need.set(s, m);
      }
      m.set(lw.key, lw);
    }
  }
  const out = new Map<Source, Map<string, WindowResult>>();
  for (const [source, windows] of need) {
    const r = await state.ledger(source).update(prom, whole, [...windows.values()], rebuild);
    if (r === null) return null;
    out.set(source, r);
  }
  return out;
}

function groupResults(
  group: QueryGroup,
  state: SpendState,
  spend: Map<Source, Map<string, WindowResult>>,
  cumulative: RowPoints | undefined,
  at: number,
): BudgetResult[] {
  const window = periodWindow(group.period, at);
  const rows = state.labelRows(group.labels);
  const parts = group.sources.map((s) => {
    const r = spend.get(s)?.get(window.id) as WindowResult;
    return { store: state.ledger(s).store, spend: r.spend, members: r.members };
  });
  const { sums, present } = sumRows(rows, parts);
  const { first, steps, stepMs } = forecastGrid(group, at);
  const rolling = group.period.kind === 'rolling';
  const cum = cumulative?.points ?? new Float64Array(0);
  const width = steps + 1;
  return group.members.map((m) => {
    let raw = 0;
    let matched = 0;
    const points = new Float64Array(width);
    const add = (r: number) => {
      if (r < sums.length && present[r] === 1) {
        raw += sums[r];
        matched++;
      }
      if ((r + 1) * width <= cum.length) {
        for (let k = 0; k < width; k++) points[k] += cum[r * width + k];
      }
    };
    if (m.exactKey !== null) {
      const r = rows.keys.get(m.exactKey);
      if (r !== undefined) add(r);
    } else {
      for (let r = 0; r < rows.rows.length; r++) if (m.match(rows.rows[r])) add(r);
    }
    // NaN or an infinity (a poisoned counter) is not $0: the budget is reported invalid.
    const invalid = !Number.isFinite(raw);
    const spent = invalid ? raw : Math.max(0, raw);
    // A calendar period's forecast uses only steps inside the period: yesterday's rate says
    // nothing about a new day (right after midnight there is no step yet: forecast = spent).
    const rates: number[] = [];
    for (let k = 0; k < steps; k++) {
      if (rolling || first + k * stepMs >= window.start) {
        rates.push(Math.max(0, points[k + 1] - points[k]) / group.stepSeconds);
      }
    }
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
      matchedSeries: matched,
      invalid,
    };
  });
}

/**
 * One evaluation of every budget at `at` (epoch ms): one presence query; per cost metric the
 * raw samples since the last cycle (see ledger/source-ledger.ts) and each window's start
 * values; per cost metric and forecast window one range query. Throws PrometheusError when any
 * query fails (the state then stays as it was, and the next cycle reads on from there).
 */
export async function evaluateBudgets(
  budgets: readonly Budget[],
  prom: PrometheusClient,
  at: number,
  groups: QueryGroup[] = planGroups(budgets),
  state: SpendState = new SpendState(),
): Promise<Evaluation> {
  const before = prom.queries;
  // The windows' whole seconds end at `at` rounded down: a sample in the first second after
  // midnight belongs to the new day.
  const whole = Math.floor(at / 1000) * 1000;
  // A running state reads on while the presence query runs; building one waits for it (no
  // cost series: nothing to build).
  const warm = [...state.ledgers.values()].some((l) => l.horizon !== null);
  const early = warm && groups.length > 0 ? spendBySource(prom, state, groups, whole, false) : null;
  early?.catch(() => undefined);
  let presence: Awaited<ReturnType<PrometheusClient['query']>>;
  try {
    presence = await prom.query(presenceQuery(), at);
  } catch (err) {
    await early?.catch(() => undefined); // never leave the state being written after a cycle
    throw err;
  }
  const missing = presence.length === 0;
  let results: BudgetResult[] = [];
  if (!missing && groups.length > 0) {
    const spend = (await early) ?? (await spendBySource(prom, state, groups, whole)) ?? new Map();
    const cumulative = await cumulativeByGroup(prom, groups, at, (l) => state.labelRows(l));
    results = groups.flatMap((g) => groupResults(g, state, spend, cumulative.get(g), at));
  } else {
    // No cost series now (a fresh install, or data gone): every budget 0 (not published when
    // data is gone); the state read on in the meantime is kept if it could be.
    await early?.catch(() => undefined);
    results = groups.flatMap((g) => zeroResults(g, at));
  }
  return {
    at,
    costSeriesMissing: missing,
    results,
    queries: prom.queries - before,
    groups: groups.length,
  };
}

function zeroResults(group: QueryGroup, at: number): BudgetResult[] {
  const window = periodWindow(group.period, at);
  return group.members.map((m) => ({
    budget: m.budget,
    window,
    spent: 0,
    forecast: 0,
    forecastLow: 0,
    forecastHigh: 0,
    ratePerSecond: 0,
    matchedSeries: 0,
    invalid: false,
  }));
}
