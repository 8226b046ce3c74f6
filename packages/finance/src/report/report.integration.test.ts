// `burnrate report` against a real Prometheus (Debian 2.42 via the test harness) holding 12 days
// of cost counters: two Collector restarts (counter resets), series born and gone mid-period, a
// series gone before the period. Totals must equal both the history's own arithmetic and an
// independent PromQL sum (per-sample growth over a subquery), to the cent.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusClient } from '@burnrate/budget-evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  type PrometheusHandle,
  startPrometheus,
} from '../../../../test/harness/index.ts';
import { main } from '../cli.ts';
import {
  type HistorySeries,
  history,
  LLM,
  loadHistory,
  seriesSpend,
  VDB,
} from '../test-support/history.ts';
import { checkPageAgainstCsv } from '../test-support/page-check.ts';
import { buildReport } from './build.ts';
import type { Report } from './model.ts';
import { toUnits } from './money.ts';
import { resolvePeriod } from './period.ts';
import { parseRules } from './rules/load.ts';

const RULES = `payer: team
shared:
  - name: platform
    selector: 'team="platform"'
    split: usage
  - name: gateway
    selector: { endpoint: /gateway }
    split: { search: 70%, support: 30% }
unassigned:
  split: usage
  receivers: [support]
markup:
  default: 10%
  payers: { search: 12.5% }
`;

let prom: PrometheusHandle;
let series: HistorySeries[];

beforeAll(async () => {
  prom = await startPrometheus({ scrapeTargets: [] });
  series = history();
  await loadHistory(prom, series);
}, 240_000);

afterAll(async () => {
  await prom?.stop();
});

const client = () => new PrometheusClient({ url: prom.url });

function truth(start: number, end: number, keep: (s: HistorySeries) => boolean = () => true) {
  return series.filter(keep).reduce((a, s) => a + seriesSpend(s, start, end), 0);
}

/** Growth per sample (a reset or a birth counts its new value), summed by Prometheus alone. */
async function independentSum(metric: string, start: number, end: number): Promise<number> {
  const range = (end - start) / 1000 - 1;
  const expr = `sum(sum_over_time((((${metric} - ${metric} offset 5m) >= 0) or (${metric} + 0))[${range}s:5m]))`;
  const r = await prom.query(expr, end);
  return r[0]?.value ?? 0;
}

async function report(period: ReturnType<typeof resolvePeriod>, by: Report['by']) {
  return buildReport({
    client: client(),
    period,
    by: by as never,
    sources: ['llm', 'vectordb'],
    rules: parseRules(RULES, 'rules.yaml'),
    decimals: 2,
  });
}

describe('burnrate report against a real Prometheus', () => {
  it('a month in a time zone reconciles with Prometheus to the cent, across resets', async () => {
    const period = resolvePeriod({ period: '2025-02', timeZone: 'Asia/Tokyo', now: Date.now() });
    expect(new Date(period.start).toISOString()).toBe('2025-01-31T15:00:00.000Z');
    expect(new Date(period.end).toISOString()).toBe('2025-02-28T15:00:00.000Z');
    const r = await report(period, ['team', 'model']);
    const { start, end } = period;
    const exactLlm = truth(start, end, (s) => s.metric === LLM);
    const exactVdb = truth(start, end, (s) => s.metric === VDB);
    expect(r.totals.exactUsd).toBeCloseTo(exactLlm + exactVdb, 9);
    expect(r.totals.total).toBe(toUnits(exactLlm + exactVdb, 2));
    const [promLlm, promVdb] = [
      await independentSum(LLM, start, end),
      await independentSum(VDB, start, end),
    ];
    expect(promLlm).toBeCloseTo(exactLlm, 9);
    expect(r.totals.total).toBe(toUnits(promLlm + promVdb, 2));
    expect(Math.abs(r.totals.llm - promLlm * 100)).toBeLessThan(1);
    expect(Math.abs(r.totals.vectordb - promVdb * 100)).toBeLessThan(1);

    // Rows: each within a cent of its own truth, adding up to the total exactly.
    expect(r.showback.reduce((a, x) => a + x.total, 0)).toBe(r.totals.total);
    for (const row of r.showback) {
      const want = truth(
        start,
        end,
        (s) =>
          (s.labels.team ?? '') === row.labels.team && (s.labels.model ?? '') === row.labels.model,
      );
      expect(Math.abs(row.total - want * 100), JSON.stringify(row)).toBeLessThan(1);
      expect(row.queries.length).toBeGreaterThan(0);
      for (const id of row.queries) expect(r.queries.map((q) => q.id)).toContain(id);
    }
    // The gone-before-February series (support/gpt-4o) is not in the report.
    expect(r.showback.find((x) => x.labels.team === 'support' && x.labels.model === 'gpt-4o')).toBe(
      undefined,
    );
    // Resets were found and read, and the rows they touched cite those reads.
    expect(r.notes.join(' ')).toMatch(/counter resets/);
    const raw = r.queries.filter((q) => q.kind === 'raw').map((q) => q.id);
    expect(raw.length).toBeGreaterThan(0);
    const gpt = r.showback.find((x) => x.labels.team === 'search' && x.labels.model === 'gpt-4o');
    expect(gpt?.queries.some((id) => raw.includes(id))).toBe(true);
    expect(r.queries[0].promql).toMatch(/^sum by \(team, model, burnrate_source\)/);

    // Days: 28 local days adding up to the month.
    expect(r.daily).toHaveLength(28);
    expect(r.daily[0].day).toBe('2025-02-01');
    expect(r.daily.reduce((a, d) => a + d.total, 0)).toBe(r.totals.total);

    // Chargeback: spend allocated to the cent, plus markups.
    const c = r.chargeback;
    if (!c) throw new Error('no chargeback');
    expect(c.totals.subtotal).toBe(r.totals.total);
    expect(c.totals.total).toBe(c.totals.subtotal + c.totals.markup);
    expect(c.rows.reduce((a, x) => a + x.total, 0)).toBe(c.totals.total);
    const team = (t: string) => (s: HistorySeries) =>
      s.labels.team === t && s.labels.endpoint !== '/gateway';
    const direct = {
      search: truth(start, end, team('search')),
      support: truth(start, end, team('support')),
    };
    const platform = truth(start, end, team('platform'));
    const gateway = truth(start, end, (s) => s.labels.endpoint === '/gateway');
    const unassigned = truth(start, end, team('unassigned'));
    const share = direct.search / (direct.search + direct.support);
    const want = {
      search: direct.search + platform * share + gateway * 0.7,
      support: direct.support + platform * (1 - share) + gateway * 0.3 + unassigned,
    };
    for (const [payer, subtotal] of Object.entries(want)) {
      const row = c.rows.find((x) => x.payer === payer);
      expect(Math.abs((row?.subtotal ?? 0) - subtotal * 100)).toBeLessThan(1);
    }
    expect(c.totals.markup).toBe(toUnits(want.search * 0.125 + want.support * 0.1, 2));
    expect(c.rows.map((x) => x.payer).sort()).toEqual(['search', 'support']);
    expect(c.allocations.filter((a) => a.pool === 'unassigned')).toHaveLength(1);
  });

  it('a custom range stops at its end; a quarter counts series born in it from zero', async () => {
    const range = resolvePeriod({
      from: '2025-02-03',
      to: '2025-02-10',
      timeZone: 'UTC',
      now: Date.now(),
    });
    const r1 = await report(range, ['tenant']);
    expect(r1.totals.total).toBe(toUnits(truth(range.start, range.end), 2));
    expect(r1.totals.total).toBe(
      toUnits(
        (await independentSum(LLM, range.start, range.end)) +
          (await independentSum(VDB, range.start, range.end)),
        2,
      ),
    );
    expect(r1.daily).toHaveLength(7);

    const q1 = resolvePeriod({ period: '2025-Q1', timeZone: 'UTC', now: Date.now() });
    const r2 = await report(q1, ['agent']);
    expect(r2.totals.total).toBe(toUnits(truth(q1.start, q1.end), 2));
    const planner = r2.showback.find((x) => x.labels.agent === 'planner')?.total ?? 0;
    const plannerTruth = truth(q1.start, q1.end, (s) => s.labels.agent === 'planner');
    expect(Math.abs(planner - plannerTruth * 100)).toBeLessThan(1);
    expect(r2.daily).toHaveLength(90);
  });

  it('the CLI writes every format; the HTML page, opened offline in chromium, shows the CSV numbers', async () => {
    const dir = makeTempDir('finance-report');
    writeFileSync(join(dir, 'rules.yaml'), RULES);
    const out: string[] = [];
    const err: string[] = [];
    const argv = [
      'report',
      '--prometheus',
      prom.url,
      '--period',
      '2025-02',
      '--timezone',
      'Asia/Tokyo',
    ];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      env: {},
      now: () => Date.now(),
    };
    const code = await main(
      [
        ...argv,
        '--by',
        'team,model',
        '--rules',
        join(dir, 'rules.yaml'),
        '--out-dir',
        join(dir, 'out'),
      ],
      io,
    );
    expect(err.join('')).toMatch(/wrote .*report\.html/);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    const exact = truth(Date.parse('2025-01-31T15:00:00Z'), Date.parse('2025-02-28T15:00:00Z'));
    expect(json.totals.total_usd).toBe(toUnits(exact, 2) / 100);
    await checkPageAgainstCsv(join(dir, 'out'));

    // Markdown to stdout, with the query footnotes.
    expect(await main([...argv, '--by', 'tenant'], io)).toBe(0);
    expect(out.join('')).toMatch(/\| tenant \| LLM \| Vector DB \| Total \|/);
    expect(out.join('')).toMatch(/<a id="q1"><\/a>\*\*q1\*\*/);
  });
});
