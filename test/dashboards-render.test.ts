// Every panel of every bundled dashboard as Grafana's frontend would draw it, from the running
// stack's answers (test/dashboards-stack.ts) with every variable filled: frames as the Prometheus
// data source makes them (table or time-series format), the panel's transformations, then the
// reduce step of stat and bar gauge panels (dashboards/src/grafana-model.ts). A bar gauge or stat
// must show one value per series its queries return; a table one row per label set its queries
// join on, at most 10 in a "Top 10" table; the alert annotations must find the firing alert.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Frame,
  type PromSeries,
  panelFrames,
  type ReduceOptions,
  reduceToDisplay,
  type TargetModel,
  type Transformation,
  tableRows,
  transform,
} from '../dashboards/src/grafana-model.ts';
import { allPanels, type DashboardJson, type PanelJson } from '../dashboards/src/queries.ts';
import {
  allVars,
  type DashboardStack,
  expand,
  narrowedVars,
  runExpanded,
  startDashboardStack,
  type Vars,
} from './dashboards-stack.ts';
import { repoRoot } from './harness/tools.ts';

type Panel = PanelJson & {
  targets?: Array<TargetModel & { expr?: string }>;
  transformations?: Transformation[];
  options?: { reduceOptions?: ReduceOptions; sortBy?: Array<{ displayName: string }> };
};
type Annotation = { name: string; expr?: string; enable?: boolean };

// BURNRATE_DASHBOARDS_JSON_DIR: check another set of dashboard files (e.g. an older release's).
const dir = process.env.BURNRATE_DASHBOARDS_JSON_DIR ?? join(repoRoot, 'dashboards');
const dashboards = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'package.json')
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson);

let stack: DashboardStack | undefined;
beforeAll(async () => {
  stack = await startDashboardStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Answers = Record<string, PromSeries[]>;

/** Every target of the panel run at the same moment, as Grafana runs a panel's queries. */
async function answers(p: Panel, vars: Vars): Promise<Answers> {
  if (!stack) throw new Error('the stack did not start');
  const prom = stack.prom;
  const now = new Date();
  const out: Answers = {};
  for (const t of p.targets ?? []) {
    const q = {
      dashboard: '',
      panel: p.title ?? '',
      panelType: p.type,
      refId: t.refId,
      expr: t.expr ?? '',
      instant: t.instant === true,
      timeFrom: p.timeFrom,
    };
    const e = expand(q, vars, false, now);
    expect(e.expr, 'every variable filled').not.toMatch(/\$\{?[a-zA-Z_]/);
    const series = await runExpanded(prom, e, q.instant);
    out[t.refId] = series.filter((s) => s.values.some(([, v]) => Number.isFinite(v)));
  }
  return out;
}

const seriesCount = (a: Answers): number => Object.values(a).reduce((n, s) => n + s.length, 0);

/** The label sets a merged table joins on: the labels every answering query carries. */
function joinKeys(a: Answers): Set<string> {
  const answered = Object.values(a).filter((s) => s.length > 0);
  if (answered.length === 0) return new Set();
  const labelSets = answered.map((s) => new Set(s.flatMap((x) => Object.keys(x.labels))));
  const names = [...labelSets[0]].filter((l) => labelSets.every((set) => set.has(l)));
  return new Set(answered.flat().map((s) => JSON.stringify(names.sort().map((l) => s.labels[l]))));
}

function frames(p: Panel, a: Answers): Frame[] {
  return transform(panelFrames(p.targets ?? [], a), p.transformations ?? []);
}

const visual = (d: DashboardJson): Panel[] =>
  allPanels(d).filter((p) => p.type !== 'row') as Panel[];

describe.each(dashboards.map((d) => [d.title, d] as const))('%s', (_title, d) => {
  describe.each([
    ['every variable on All', allVars],
    ['one environment, team, service, endpoint, tenants, three models, two agents', narrowedVars],
  ] as const)('with %s', (_name, vars) => {
    it.each(visual(d).map((p) => [p.title, p] as const))(
      '%s draws what its queries return',
      async (_t, p) => {
        const a = await answers(p, vars);
        const n = seriesCount(a);
        if (p.type === 'stat' || p.type === 'bargauge' || p.type === 'gauge') {
          const shown = reduceToDisplay(frames(p, a), p.options?.reduceOptions ?? {});
          // One value (bar, number) per series (with none, Grafana shows its "no value" text).
          expect(shown.length, `${p.title}: values shown for ${n} series`).toBe(n);
          if (p.title === 'Utilisation' && vars === allVars) {
            expect(shown.map((v) => v.name).sort()).toEqual([
              'company-monthly',
              'prod-openai-daily',
              'search-team-monthly',
            ]);
          }
        } else if (p.type === 'table') {
          const rows = tableRows(frames(p, a));
          const top = p.title?.startsWith('Top 10') === true;
          const keys = joinKeys(a).size;
          expect(rows.length, `${p.title}: rows`).toBe(top ? Math.min(keys, 10) : keys);
          // A top-10 table ranks by its sort column: every row has it (no stray joined rows).
          const sortBy = p.options?.sortBy?.[0]?.displayName;
          for (const row of top && sortBy ? rows : []) {
            expect(row[sortBy as string], `${p.title}: a row without ${sortBy}`).not.toBeNull();
          }
        } else if (p.type === 'timeseries') {
          expect(frames(p, a).filter((f) => f.length > 0)).toHaveLength(n);
        }
      },
    );
  });

  it('annotates every time series with the firing Burnrate alerts', async () => {
    const list = (d as { annotations?: { list?: Annotation[] } }).annotations?.list ?? [];
    const alerts = list.find((x) => x.name === 'Burnrate alerts');
    expect(alerts?.enable).toBe(true);
    if (!stack || !alerts?.expr) throw new Error('no alert annotation');
    const q = {
      dashboard: '',
      panel: '',
      panelType: '',
      refId: 'A',
      expr: alerts.expr,
      instant: false,
    };
    const series = await runExpanded(stack.prom, expand(q, allVars), false);
    expect(series.map((s) => s.labels.alertname)).toContain('BurnrateCollectorTelemetryDown');
  });
});
