// Walks dashboard JSON (as written to dashboards/*.json) and lists what Grafana would query:
// every panel target and every template variable query.

/** The parts of a dashboard JSON this walker reads. */
export type DashboardJson = {
  uid?: string;
  title?: string;
  panels?: PanelJson[];
  templating?: { list?: VariableJson[] };
};
export type PanelJson = {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  timeFrom?: string;
  targets?: TargetJson[];
  panels?: PanelJson[];
  fieldConfig?: { defaults?: { unit?: string }; overrides?: unknown[] };
};
export type TargetJson = {
  refId?: string;
  expr?: string;
  instant?: boolean;
  range?: boolean;
  datasource?: { type?: string; uid?: string };
};
export type VariableJson = {
  name: string;
  type: string;
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
  allValue?: string;
  multi?: boolean;
  includeAll?: boolean;
  refresh?: number;
};

export type PanelQuery = {
  dashboard: string;
  panel: string;
  panelType: string;
  refId: string;
  expr: string;
  instant: boolean;
  timeFrom?: string;
};

/** Every panel, rows flattened (a collapsed row keeps its panels inside it). */
export function allPanels(d: DashboardJson): PanelJson[] {
  const out: PanelJson[] = [];
  const walk = (ps: PanelJson[] | undefined): void => {
    for (const p of ps ?? []) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

export function panelQueries(d: DashboardJson): PanelQuery[] {
  return allPanels(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      dashboard: d.title ?? d.uid ?? '?',
      panel: p.title ?? `#${p.id}`,
      panelType: p.type,
      refId: t.refId ?? '?',
      expr: t.expr ?? '',
      instant: t.instant === true,
      timeFrom: p.timeFrom,
    })),
  );
}

export function variableQueries(d: DashboardJson): Array<{ name: string; query: string }> {
  return (d.templating?.list ?? [])
    .filter((v) => v.type === 'query')
    .map((v) => ({
      name: v.name,
      query: typeof v.query === 'string' ? v.query : (v.query?.query ?? ''),
    }));
}
