// Panel factories: every panel gets a title, a description, the templated data source, a unit,
// explicit refIds and an explicit legend, so the JSON never depends on SDK defaults.
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TableSortByFieldStateBuilder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type DataTransformerConfig,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { datasource } from './variables.ts';

export type Query = { expr: string; legend?: string };

type Base = {
  title: string;
  description: string;
  unit: string;
  queries: readonly Query[];
  w: number;
  h?: number;
  /** Grafana relative time override, e.g. `now/M` for "this month so far". */
  timeFrom?: string;
  decimals?: number;
  thresholds?: readonly Threshold[];
  /** Shown when the query returns nothing (default for stats: `0`). */
  noValue?: string;
  mappings?: ValueMapping[];
};

const refId = (i: number): string => String.fromCharCode(65 + i);

/** `instant-series`: one value per series, named by its legend (a bar per query or series). */
type Kind = 'range' | 'instant' | 'instant-series';

function target(q: Query, i: number, kind: Kind): prometheus.DataqueryBuilder {
  const t = new prometheus.DataqueryBuilder()
    .refId(refId(i))
    .datasource(datasource)
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto');
  if (kind === 'instant-series') return t.instant().format(prometheus.PromQueryFormat.TimeSeries);
  return kind === 'instant' ? t.instant().format(prometheus.PromQueryFormat.Table) : t.range();
}

function thresholds(steps: readonly Threshold[] | undefined): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps ? [...steps] : [{ value: null, color: 'green' }]);
}

/** Thresholds for a 0–1 ratio of a limit: green, amber from 80 %, red from 100 %. */
export const limitThresholds: Threshold[] = [
  { value: null, color: 'green' },
  { value: 0.8, color: 'orange' },
  { value: 1, color: 'red' },
];

/**
 * One big number per series (instant query over the range, or the last value). Instant queries
 * use the time-series format: every series is its own frame, so it gets its own value (the table
 * format puts all series in one frame, which the reduce step turns into one number).
 * `named`: show each value's name (its legend), for a query that returns several series.
 */
export function statPanel(p: Base & { graph?: boolean; named?: boolean }): stat.PanelBuilder {
  const b = new stat.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit(p.unit)
    .height(p.h ?? 4)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, p.graph ? 'range' : 'instant-series')))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Value)
    .graphMode(p.graph ? BigValueGraphMode.Area : BigValueGraphMode.None)
    .textMode(
      p.queries.length > 1 || p.named ? BigValueTextMode.ValueAndName : BigValueTextMode.Value,
    )
    .orientation(VizOrientation.Auto)
    .thresholds(thresholds(p.thresholds))
    .noValue(p.noValue ?? '0');
  if (p.mappings) b.mappings(p.mappings);
  if (p.timeFrom) b.timeFrom(p.timeFrom);
  if (p.decimals !== undefined) b.decimals(p.decimals);
  return b;
}

/** Lines over time, legend as a table with mean and last so the biggest series read at a glance. */
export function timeseriesPanel(
  p: Base & { stack?: boolean; axisLabel?: string; min?: number },
): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit(p.unit)
    .height(p.h ?? 8)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, 'range')))
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['mean', 'lastNotNull'])
        .sortBy('Mean')
        .sortDesc(true),
    )
    .tooltip(
      new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending),
    )
    .thresholds(thresholds(p.thresholds))
    .fillOpacity(p.stack ? 40 : 10)
    .lineWidth(1)
    .stacking(
      new StackingConfigBuilder()
        .mode(p.stack ? StackingMode.Normal : StackingMode.None)
        .group('A'),
    );
  if (p.axisLabel) b.axisLabel(p.axisLabel);
  if (p.min !== undefined) b.min(p.min);
  if (p.decimals !== undefined) b.decimals(p.decimals);
  return b;
}

export type Column = { refId: string; name: string; unit: string; decimals?: number };

/**
 * A table of instant queries over the range, one row per label set, joined on the labels.
 * `columns` names each query's value column (`Value #A` …) and gives it a unit.
 */
export function tablePanel(
  p: Omit<Base, 'unit'> & {
    columns: readonly Column[];
    sortBy: string;
    /** Sort ascending (default: descending, biggest first). */
    ascending?: boolean;
    hide?: string[];
    /** At most this many rows: sorted by `sortBy`, then cut (Grafana's sortBy and limit transformations). */
    limit?: number;
  },
): table.PanelBuilder {
  const rename: Record<string, string> = {};
  const exclude: Record<string, boolean> = { Time: true };
  for (const h of p.hide ?? []) exclude[h] = true;
  const single = p.queries.length === 1;
  for (const c of p.columns) rename[single ? 'Value' : `Value #${c.refId}`] = c.name;
  const transformations: DataTransformerConfig[] = [
    ...(single ? [] : [{ id: 'merge', options: {} }]),
    { id: 'organize', options: { excludeByName: exclude, renameByName: rename, indexByName: {} } },
  ];
  if (p.limit !== undefined) {
    transformations.push(
      { id: 'sortBy', options: { fields: {}, sort: [{ field: p.sortBy, desc: !p.ascending }] } },
      { id: 'limit', options: { limitField: p.limit } },
    );
  }
  const b = new table.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit('none')
    .height(p.h ?? 8)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, 'instant')))
    .transformations(transformations)
    .sortBy([new TableSortByFieldStateBuilder().displayName(p.sortBy).desc(!p.ascending)])
    .showHeader(true)
    .filterable(false)
    .thresholds(thresholds(p.thresholds));
  for (const c of p.columns) {
    b.overrideByName(c.name, [
      { id: 'unit', value: c.unit },
      ...(c.decimals === undefined ? [] : [{ id: 'decimals', value: c.decimals }]),
    ]);
  }
  if (p.timeFrom) b.timeFrom(p.timeFrom);
  if (p.mappings) b.mappings(p.mappings);
  return b;
}

/**
 * Horizontal bars, one per series (e.g. each budget's utilisation): instant queries in
 * time-series format, so every series is its own frame and its own bar, named by the legend,
 * in the queries' order. (In table format all series share one frame, reduced to one bar.)
 */
export function barGaugePanel(p: Base & { max?: number }): bargauge.PanelBuilder {
  const b = new bargauge.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit(p.unit)
    .height(p.h ?? 8)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, 'instant-series')))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(BarGaugeDisplayMode.Gradient)
    .orientation(VizOrientation.Horizontal)
    .showUnfilled(true)
    .min(0)
    .thresholds(thresholds(p.thresholds));
  if (p.noValue) b.noValue(p.noValue);
  if (p.max !== undefined) b.max(p.max);
  if (p.decimals !== undefined) b.decimals(p.decimals);
  return b;
}
