import { periodKey } from '../time/period.ts';
import type { Budget, Source } from '../types.ts';
import { COST_METRICS } from '../types.ts';
import { compileMatchers, type MatchFn } from './selector.ts';

/** Budgets that can be answered by the same two queries. */
export interface QueryGroup {
  key: string;
  /** Any member's period: all members share its windows. */
  period: Budget['period'];
  sources: Source[];
  /** The labels the query groups by: the union of the members' matcher label names. */
  labels: string[];
  lookbackSeconds: number;
  stepSeconds: number;
  members: GroupMember[];
}

export interface GroupMember {
  budget: Budget;
  /** Row key for a budget whose matchers are all equalities on exactly `labels`. */
  exactKey: string | null;
  match: MatchFn;
}

export const KEY_SEP = '\u0000';

/**
 * Groups budgets sharing period (unit and time zone, or rolling length), cost sources, the set
 * of selector label names and forecast window. Each group costs one spend query and one rate
 * query whatever its size: selectors are applied to the grouped result rows in the evaluator.
 */
export function planGroups(budgets: readonly Budget[]): QueryGroup[] {
  const groups = new Map<string, QueryGroup>();
  for (const budget of budgets) {
    const labels = [...new Set(budget.matchers.map((m) => m.label))].sort();
    const { lookbackSeconds, stepSeconds } = budget.forecast;
    const key = [
      periodKey(budget.period),
      budget.sources.join('+'),
      labels.join(','),
      lookbackSeconds,
      stepSeconds,
    ].join('|');
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        period: budget.period,
        sources: budget.sources,
        labels,
        lookbackSeconds,
        stepSeconds,
        members: [],
      };
      groups.set(key, group);
    }
    const allEq =
      budget.matchers.every((m) => m.op === '=') && budget.matchers.length === labels.length;
    const byLabel = new Map(budget.matchers.map((m) => [m.label, m.value]));
    group.members.push({
      budget,
      exactKey: allEq ? labels.map((l) => byLabel.get(l)).join(KEY_SEP) : null,
      match: compileMatchers(budget.matchers),
    });
  }
  return [...groups.values()];
}

/** The series selector of a group's cost metrics. */
export function costSelector(sources: readonly Source[]): string {
  if (sources.length === 1) return COST_METRICS[sources[0]];
  return `{__name__=~"${sources.map((s) => COST_METRICS[s]).join('|')}"}`;
}

const START_LOOKBACK = '1h';

/**
 * Spend over the last `seconds` (the exact time since the period began), per group labels.
 * Where a series has no counter reset in the window, spend is exact: value now minus the last
 * value before the period (0 for a series born inside the period, whose first sample
 * `increase` would miss). Otherwise (reset, or series gone stale) it is `increase()`.
 */
export function spendQuery(group: QueryGroup, seconds: number): string {
  const perSource = group.sources.map((source) => {
    const s = COST_METRICS[source];
    const r = `[${seconds}s]`;
    const exact = `(${s} - (last_over_time(${s}[${START_LOOKBACK}] offset ${seconds}s) * 1 or ${s} * 0))`;
    const spend = `(${exact} unless (resets(${s}${r}) > 0)) or increase(${s}${r})`;
    // Tag each source: an LLM and a vector-DB series could otherwise share a label set once
    // the metric name is dropped, and `or` would keep only one of them.
    return group.sources.length === 1
      ? spend
      : `label_replace(${spend}, "burnrate_source", "${source}", "", "")`;
  });
  return `${aggregate(group.labels)} (${perSource.join(' or ')})`;
}

/**
 * The cumulative cost per group labels, for a range query over the forecast lookback: the
 * evaluator takes step-to-step differences (a series born inside the lookback counts from 0,
 * which `rate()` would miss; a drop, i.e. a counter reset, counts as 0).
 */
export function cumulativeQuery(group: QueryGroup): string {
  return `${aggregate(group.labels)} (${costSelector(group.sources)})`;
}

/** Counts cost series present now: empty means the cost data is missing. */
export function presenceQuery(): string {
  return `count by (__name__) (${costSelector(['llm', 'vectordb'])})`;
}

function aggregate(labels: readonly string[]): string {
  return labels.length > 0 ? `sum by (${labels.join(', ')})` : 'sum';
}

/** The row key of a result series for a group. */
export function rowKey(
  labels: readonly string[],
  metric: Readonly<Record<string, string>>,
): string {
  return labels.map((l) => metric[l] ?? '').join(KEY_SEP);
}
