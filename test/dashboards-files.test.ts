// The bundled dashboards as a user meets them: the files in dashboards/ are exactly what the
// generator writes, and every dashboard has the variables, links, descriptions, units and
// contract-only queries the dashboards issue asks for.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildAll, render } from '@burnrate/dashboards';
import { describe, expect, it } from 'vitest';
import { contractProblems, variableQueryProblems } from '../dashboards/src/promql-check.ts';
import {
  allPanels,
  type DashboardJson,
  type PanelJson,
  panelQueries,
  variableQueries,
} from '../dashboards/src/queries.ts';
import { repoRoot } from './harness/tools.ts';

const dir = join(repoRoot, 'dashboards');
/** Grafana's reference to the data source the `datasource` variable holds. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const templated = { type: 'prometheus', uid: '${datasource}' };
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json');
const load = (f: string): DashboardJson => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const dashboards = files.map((f) => ({ file: f, d: load(f) }));
const byUid = (uid: string): DashboardJson => {
  const d = dashboards.find((x) => x.d.uid === uid)?.d;
  if (!d) throw new Error(`no dashboard ${uid}`);
  return d;
};
const visual = (d: DashboardJson): PanelJson[] => allPanels(d).filter((p) => p.type !== 'row');

describe('dashboards/*.json', () => {
  it('are exactly what `npm run dashboards` writes (nobody hand-edits them)', () => {
    const generated = buildAll();
    expect(files.sort()).toEqual(generated.map((g) => g.file).sort());
    for (const g of generated) {
      expect(readFileSync(join(dir, g.file), 'utf8'), `${g.file} differs from the generator`).toBe(
        render(g.dashboard),
      );
    }
  });

  it('`npm run dashboards -- --check` agrees', async () => {
    const cli = join(dir, 'src/cli.ts');
    const r = await promisify(execFile)(process.execPath, [
      '--conditions=@burnrate/source',
      cli,
      '--check',
    ]);
    expect(r.stderr).toBe('');
  });

  it("import through Grafana's UI as new dashboards on any Prometheus data source", () => {
    for (const { file, d } of dashboards) {
      const raw = d as Record<string, unknown>;
      expect(raw.id ?? null, file).toBeNull(); // no id: the import creates the dashboard
      expect(raw.schemaVersion, file).toBe(42);
      expect(raw.__inputs, file).toBeUndefined(); // nothing to map: the datasource variable picks
      const ds = d.templating?.list?.find((v) => v.type === 'datasource') as {
        current?: { value?: string };
      };
      expect(ds.current?.value, file).toBe('default'); // the instance's default Prometheus
      expect(JSON.stringify(d), file).not.toMatch(/"uid":\s*"(?!\$\{datasource\})[^"]*prometheus/i);
    }
  });

  it('are the five bundled dashboards, each with a unique uid and the burnrate tag', () => {
    expect(dashboards.map((x) => x.d.uid).sort()).toEqual([
      'burnrate-agents',
      'burnrate-budgets',
      'burnrate-spend-overview',
      'burnrate-unit-economics',
      'burnrate-vector-databases',
    ]);
    for (const { d } of dashboards) expect((d as { tags?: string[] }).tags).toContain('burnrate');
  });
});

describe.each(dashboards)('$file', ({ d }) => {
  it('has the data source, environment, team, service, endpoint, model and tenant variables', () => {
    const vars = d.templating?.list ?? [];
    const names = vars.map((v) => v.name);
    expect(names.slice(0, 7)).toEqual([
      'datasource',
      'environment',
      'team',
      'service',
      'endpoint',
      'model',
      'tenant',
    ]);
    if (d.uid === 'burnrate-budgets') expect(names).toContain('budget');
    if (d.uid === 'burnrate-agents') expect(names).toContain('agent');
    expect(vars[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const v of vars.filter((x) => x.type === 'query')) {
      expect(v, v.name).toMatchObject({
        multi: true,
        includeAll: true,
        allValue: '.*',
        refresh: 2,
        datasource: templated,
      });
    }
  });

  it('links to the other Burnrate dashboards, keeping the variables and the time range', () => {
    const links = (d as { links?: Array<Record<string, unknown>> }).links ?? [];
    expect(links).toContainEqual(
      expect.objectContaining({
        type: 'dashboards',
        tags: ['burnrate'],
        includeVars: true,
        keepTime: true,
      }),
    );
  });

  it('gives every panel a title, a description, the templated data source and a unit', () => {
    const panels = visual(d);
    expect(panels.length).toBeGreaterThan(5);
    const ids = allPanels(d).map((p) => p.id);
    expect(new Set(ids).size, 'panel ids are unique').toBe(ids.length);
    for (const p of panels) {
      expect(p.title, `panel ${p.id}`).toBeTruthy();
      expect(p.description?.length ?? 0, `${p.title}: description`).toBeGreaterThan(20);
      expect(p.datasource, p.title).toEqual(templated);
      expect(p.fieldConfig?.defaults?.unit, `${p.title}: unit`).toBeTruthy();
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(refIds.length, `${p.title}: queries`).toBeGreaterThan(0);
      expect(new Set(refIds).size, `${p.title}: refIds`).toBe(refIds.length);
      for (const t of p.targets ?? []) {
        expect(t.datasource, p.title).toEqual(templated);
        expect(t.expr, p.title).toBeTruthy();
      }
    }
  });

  it('shows money in US dollars (currencyUSD)', () => {
    const money = visual(d).filter(
      (p) =>
        /spend|cost|forecast|limit/i.test(p.title ?? '') &&
        !/over limit|burn rate|÷/i.test(p.title ?? ''),
    );
    expect(money.length).toBeGreaterThan(2);
    for (const p of money) {
      const overrides = JSON.stringify(p.fieldConfig?.overrides ?? []);
      const units = [
        p.fieldConfig?.defaults?.unit,
        ...[...overrides.matchAll(/"unit","value":"([^"]+)"/g)].map((m) => m[1]),
      ];
      expect(units, p.title).toContain('currencyUSD');
    }
  });

  it('uses $__rate_interval in every rate() and names only DESIGN.md metrics and labels', () => {
    for (const q of panelQueries(d)) {
      const where = `${q.panel} ${q.refId}: ${q.expr}`;
      for (const m of q.expr.matchAll(/\b(?:rate|irate)\(([^()]*?)\[([^\]]+)\]/g)) {
        expect(m[2], where).toBe('$__rate_interval');
      }
      expect(contractProblems(q.expr), where).toEqual([]);
    }
    for (const v of variableQueries(d)) expect(variableQueryProblems(v.query), v.name).toEqual([]);
  });
});

describe('the five cost questions', () => {
  const groupsCostBy = (d: DashboardJson, label: string): boolean =>
    panelQueries(d).some(
      (q) =>
        q.expr.includes('burnrate_llm_cost_usd_total') &&
        new RegExp(`by \\([^)]*\\b${label}\\b`).test(q.expr),
    );

  it('spend overview breaks spend down by model, endpoint, team and environment', () => {
    const d = byUid('burnrate-spend-overview');
    for (const label of ['model', 'endpoint', 'team', 'environment'])
      expect(groupsCostBy(d, label), label).toBe(true);
  });

  it('spend overview compares this week with last for endpoints and teams', () => {
    const growth = panelQueries(byUid('burnrate-spend-overview')).filter((q) =>
      q.expr.includes('offset 7d'),
    );
    for (const label of ['endpoint', 'team']) {
      expect(
        growth.some((q) => q.expr.includes(`by (${label})`)),
        label,
      ).toBe(true);
    }
  });

  it('unit economics shows cost per call and per million tokens by model and endpoint', () => {
    const titles = visual(byUid('burnrate-unit-economics')).map((p) => p.title);
    for (const t of [
      'Cost per call by model',
      'Cost per call by endpoint',
      'Cost per 1M tokens by model',
      'Cost per 1M tokens by endpoint',
    ]) {
      expect(titles).toContain(t);
    }
  });

  it('never adds cache or reasoning tokens to input (they are subsets)', () => {
    for (const { d } of dashboards) {
      for (const q of panelQueries(d)) {
        expect(q.expr, q.panel).not.toMatch(
          /token_type=~"[^"]*(input|output)[^"]*(cache|reasoning)/,
        );
        expect(q.expr, q.panel).not.toMatch(
          /token_type=~"[^"]*(cache|reasoning)[^"]*(input|output)/,
        );
      }
    }
  });
});
