// The frame every Burnrate dashboard shares: uid, tags, UTC time, variables, links to the others.

import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
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
import { allVariables } from './variables.ts';

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
