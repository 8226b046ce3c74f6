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

/** One big number (instant query over the range, or the last value). */
export function statPanel(p: Base & { graph?: boolean }): stat.PanelBuilder {
  const b = new stat.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit(p.unit)
    .height(p.h ?? 4)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, p.graph ? 'range' : 'instant')))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Value)
    .graphMode(p.graph ? BigValueGraphMode.Area : BigValueGraphMode.None)
    .textMode(p.queries.length > 1 ? BigValueTextMode.ValueAndName : BigValueTextMode.Value)
    .orientation(VizOrientation.Auto)
    .thresholds(thresholds(p.thresholds))
    .noValue('0');
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
  return b;
}

/**
 * Horizontal bars, one per series (e.g. each budget's utilisation). `series`: instant queries in
 * time-series format, so each bar is named by its query's legend and bars keep the queries' order.
 */
export function barGaugePanel(p: Base & { max?: number; series?: boolean }): bargauge.PanelBuilder {
  const b = new bargauge.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .unit(p.unit)
    .height(p.h ?? 8)
    .span(p.w)
    .targets(p.queries.map((q, i) => target(q, i, p.series ? 'instant-series' : 'instant')))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(BarGaugeDisplayMode.Gradient)
    .orientation(VizOrientation.Horizontal)
    .showUnfilled(true)
    .min(0)
    .thresholds(thresholds(p.thresholds));
  if (p.max !== undefined) b.max(p.max);
  if (p.decimals !== undefined) b.decimals(p.decimals);
  return b;
}
