// The frame every Burnrate dashboard shares: uid, tags, UTC time, variables, links to the others.

import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Panel,
  RowBuilder,
  type RowPanel,
  TimePickerBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { burnrateAlerts } from './promql.ts';
import { allVariables, datasource } from './variables.ts';

export const burnrateTag = 'burnrate';

export type Section = { row: string; panels: Builder<Panel>[] };

export type DashboardSpec = {
  uid: string;
  title: string;
  description: string;
  /** Default time range, e.g. `now-7d`. */
  from: string;
  withBudget?: boolean;
  withAgent?: boolean;
  sections: Section[];
};

/** Links to every other Burnrate dashboard (by tag), keeping the time range and the variables. */
function links(): DashboardLinkBuilder[] {
  return [
    new DashboardLinkBuilder('Burnrate')
      .type(DashboardLinkType.Dashboards)
      .tags([burnrateTag])
      .asDropdown(false)
      .includeVars(true)
      .keepTime(true)
      .targetBlank(false)
      .icon('external link')
      .tooltip('Other Burnrate dashboards, with the same filters and time range')
      .url(''),
  ];
}

/**
 * The Prometheus-rule alerts of Burnrate (spend anomalies, cost per call, pipeline health) as
 * annotations on every time series: one region per firing alert, titled by its name. The
 * evaluator's budget alerts go to Alertmanager directly; the Budgets dashboard shows those.
 */
function alertAnnotations(): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Burnrate alerts')
    .datasource(datasource)
    .enable(true)
    .iconColor('red')
    .expr(burnrateAlerts)
    .step('60s')
    .titleFormat('{{alertname}}')
    .tagKeys('severity,team,environment,service,model')
    .textFormat('{{alertname}} ({{severity}}) {{team}} {{environment}} {{model}}')
    .useValueForTime(false);
}

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const b = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([burnrateTag, 'cost', 'opentelemetry'])
    // Calendar windows (month to date, the forecast to month end) are UTC, like the PromQL date functions.
    .timezone('utc')
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: spec.from, to: 'now' })
    .timepicker(new TimePickerBuilder().refreshIntervals(['1m', '5m', '15m', '1h']))
    .refresh('5m')
    .links(links())
    .annotation(alertAnnotations())
    .variables(allVariables({ withBudget: spec.withBudget, withAgent: spec.withAgent }));
  for (const s of spec.sections) {
    b.withRow(new RowBuilder(s.row).collapsed(false));
    for (const p of s.panels) b.withPanel(p);
  }
  const d = b.build();
  numberPanels(d.panels ?? []);
  return d;
}

/** Panel ids, unique and stable: Grafana needs them for links, the linter for its report. */
function numberPanels(panels: Array<Panel | RowPanel | { type: string }>): void {
  let id = 1;
  for (const p of panels) {
    (p as { id?: number }).id = id++;
  }
}
