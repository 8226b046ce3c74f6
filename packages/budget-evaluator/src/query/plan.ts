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

/** How far before the period start the last sample of a series counts as its start value. */
export const START_LOOKBACK_SECONDS = 3600;

/** Marks, in the spend query's answer, that a source has series with a counter reset. */
export const RESETS_LABEL = 'burnrate_resets';

/**
 * Spend over the last `seconds` (the exact time since the period began), per group labels: per
 * series, its last value in the period minus its last value before the period (0 for a series
 * born inside it). That is exact without counter resets, also for a series that went quiet or
 * is gone now (no extrapolation, unlike `increase()`). Where a series reset inside the period,
 * the value before each reset must be added ({@link resetCorrections}): one extra row per
 * source, labelled `burnrate_resets="<source>"`, says that some series of that source did.
 */
export function spendQuery(group: QueryGroup, seconds: number): string {
  const perSource = group.sources.map((source) => {
    const s = COST_METRICS[source];
    const last = `last_over_time(${s}[${seconds}s])`;
    const spend = `${last} - (${startValue(s, seconds)} or ${last} * 0)`;
    // Tag each source: an LLM and a vector-DB series could otherwise share a label set once
    // the metric name is dropped, and `or` would keep only one of them.
    return group.sources.length === 1
      ? spend
      : `label_replace(${spend}, "burnrate_source", "${source}", "", "")`;
  });
  const markers = group.sources.map(
    (source) =>
      `label_replace(count(${resetFilter(COST_METRICS[source], seconds)}), "${RESETS_LABEL}", "${source}", "", "")`,
  );
  return [`${aggregate(group.labels)} (${perSource.join(' or ')})`, ...markers].join(' or ');
}

/** A series' last value before the period began (within {@link START_LOOKBACK_SECONDS}). */
function startValue(metric: string, seconds: number): string {
  return `last_over_time(${metric}[${START_LOOKBACK_SECONDS}s] offset ${seconds}s)`;
}

/**
 * Series with a counter reset in the period, also one right at its start (below the start
 * value, which lies within the lookback before it). One pass over the samples; a reset in the
 * lookback before the period start is a false positive that only costs the locating query.
 */
function resetFilter(metric: string, seconds: number): string {
  return `resets(${metric}[${seconds + START_LOOKBACK_SECONDS}s]) > 0`;
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
