// Long-term stores through remote write (collector/remote-write.yaml): the dashboards' demo
// traffic (known dollars) into Collectors that push to a real VictoriaMetrics and to a real
// Prometheus remote-write receiver, and, as the reference, a Prometheus scraping the Collector
// as every other test does (test/remote-write-stack.ts). Every series, dashboard variable,
// recording-rule query and the budget evaluator's own queries must give the same figures from
// each store; where a store's query language legitimately differs (windowed increase()/rate()
// over pushed samples), the test checks the figure the user sees against the dollars sent. See
// deploy/README.md "Long-term stores (remote write)".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolate } from '../dashboards/src/interpolate.ts';
import { type PanelQuery, panelQueries, variableQueries } from '../dashboards/src/queries.ts';
import { parseConfig } from '../packages/budget-evaluator/src/config/load.ts';
import { evaluateBudgets } from '../packages/budget-evaluator/src/query/evaluate.ts';
import { PrometheusClient } from '../packages/budget-evaluator/src/query/prometheus.ts';
import { demoRound, demoRoundCost } from './dashboards-fixtures.ts';
import { allVars, expand, narrowedVars, runExpanded, type Vars } from './dashboards-stack.ts';
import { type PrometheusHandle, type Sample, sendSpans } from './harness/index.ts';
import { differences, keyed } from './harness/remote-write.ts';
import {
  answer,
  BUDGETS_YAML,
  collectorQueries,
  dashboards,
  isRatio,
  kind,
  name,
  queries,
  ROUNDS,
  type Stores,
  startStores,
  windowed,
} from './remote-write-stack.ts';

let stack: Stores | undefined;
const stores = (): Stores => {
  if (!stack) throw new Error('the stack did not start');
  return stack;
};
const at = (h: PrometheusHandle, q: PanelQuery, vars: Vars, widen = false) =>
  answer(stores(), h, q, vars, widen);

beforeAll(async () => {
  stack = await startStores();
});

afterAll(async () => {
  await stack?.stop();
});

describe('every dashboard query over the Collector’s counters', () => {
  it('finds some, in every dashboard', () => {
    expect(collectorQueries.length).toBeGreaterThan(30);
    // Every dashboard but the budgets' (the evaluator's gauges, scraped from the evaluator).
    expect(new Set(collectorQueries.map((q) => q.dashboard)).size).toBe(dashboards.length - 1);
  });

  it('every counter and histogram series is the same in both stores, to 1e-9', async () => {
    const { reference, receiver, vm } = stores();
    const selector = '{__name__=~"burnrate_.+"}';
    const want = await reference.query(selector, stores().at);
    expect(want.length).toBeGreaterThan(100);
    const byName = (s: Sample[]): Map<string, number> =>
      keyed(s.map((x) => ({ ...x, labels: { ...x.labels, name: x.labels.__name__ } })));
    for (const h of [receiver, vm])
      expect(differences(byName(await h.query(selector, stores().at)), byName(want))).toEqual([]);
  });

  it('every dashboard variable lists the same values from each store', async () => {
    const { reference, receiver, vm } = stores();
    const variables = dashboards.flatMap((d) => variableQueries(d));
    let compared = 0;
    for (const v of variables) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.query);
      if (!m) throw new Error(`${v.name}: ${v.query}`);
      const selector = interpolate(m[1], {
        vars: allVars,
        rangeSeconds: 3600,
        intervalSeconds: 5,
        scrapeIntervalSeconds: 1,
      });
      if (kind(selector) !== 'collector') continue;
      const values = async (h: PrometheusHandle): Promise<string[]> =>
        (
          await h.api<string[]>(
            `/api/v1/label/${m[2]}/values?${new URLSearchParams({ 'match[]': selector })}`,
          )
        ).sort();
      const want = await values(reference);
      expect(want.length, v.name).toBeGreaterThan(0);
      expect(await values(receiver), v.name).toEqual(want);
      expect(await values(vm), v.name).toEqual(want);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it.each([
    ['every variable on All', allVars],
    ['one team, service and endpoint', narrowedVars],
  ] as const)(
    'windowed: the same series from every store, each value within its documented band (%s)',
    async (_n, vars) => {
      const { reference, receiver, vm } = stores();
      const problems: string[] = [];
      const worst = { receiver: 0, vm: 0 };
      const within =
        (lo: number, hi: number, store: keyof typeof worst) => (g: number, w: number) => {
          if (w === 0) return g === 0;
          worst[store] = Math.max(worst[store], Math.abs(g / w - 1));
          return g / w >= lo && g / w <= hi;
        };
      for (const q of collectorQueries.filter((x) => windowed.test(x.expr))) {
        const want = await at(reference, q, vars, true);
        // Prometheus from pushed samples: the same growth, extrapolated from other sample
        // times. A total lies between the growth after a series' first sample (ROUNDS - 1
        // rounds) and that extrapolated by up to a round either way; ratios (per call, shares)
        // are equal where both series were pushed at the same moments, close otherwise.
        const band = within((ROUNDS - 1) / (ROUNDS + 1), (ROUNDS + 1) / (ROUNDS - 1), 'receiver');
        for (const d of differences(await at(receiver, q, vars, true), want, band))
          problems.push(`prometheus-receiver ${name(q)}: ${d}`);
        // MetricsQL: no extrapolation, and a series born in the window counts from 0. A rate is
        // the growth over its samples' own time span, not over the window: only its sign and
        // presence compare (ratios of rates do again).
        const perSecond = /\brate\(/.test(q.expr) && !isRatio(q);
        const vmBand = perSecond
          ? (g: number, w: number) => (w === 0 ? g === 0 : g > 0)
          : within(0.5, 2, 'vm');
        for (const d of differences(await at(vm, q, vars, true), want, vmBand))
          problems.push(`victoriametrics ${name(q)}: ${d}`);
        if (!q.instant)
          for (const h of [receiver, vm])
            await runExpanded(h, expand(q, vars, true, stores().at), false);
      }
      console.info(
        `windowed queries, largest difference from the scrape: Prometheus receiver ${(100 * worst.receiver).toFixed(1)} %, VictoriaMetrics ${(100 * worst.vm).toFixed(1)} %`,
      );
      expect(problems).toEqual([]);
    },
  );

  // MetricsQL's increase() takes a series first seen in the window from 0 when its first value is
  // small next to its next step (|first| < 10 × (|step| + 1)): always for dollar series under
  // $10, not always for call or token counts (then the first sample's value is left out).
  it('VictoriaMetrics: every dollar total "in range" is the counters’ own total', async () => {
    const { reference, vm } = stores();
    const totals = collectorQueries.filter(
      (q) =>
        /increase\(/.test(q.expr) &&
        /_cost_usd_total/.test(q.expr) &&
        !/_requests_|_tokens_|_operations_|_bucket|_count|_trips_/.test(q.expr) &&
        !isRatio(q) &&
        !/offset|rate\(/.test(q.expr) &&
        q.expr.includes('$__range'),
    );
    expect(totals.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const q of totals) {
      // Every demo series was born inside the range: its increase is its value now.
      const raw = { ...q, expr: q.expr.replace(/increase\(([^[]+)\[\$__range\]\)/g, '$1') };
      for (const d of differences(await at(vm, q, allVars), await at(reference, raw, allVars)))
        problems.push(`${name(q)}: ${d}`);
    }
    expect(problems).toEqual([]);
  });

  it('at Grafana’s rate interval, after traffic stopped: Prometheus fed by remote write reads 0 like the scrape', async () => {
    const { reference, receiver, vm } = stores();
    const q = collectorQueries.find((x) => x.panel === 'Spend rate ($/hour)');
    if (!q) throw new Error('no Spend rate panel');
    // Traffic stopped seconds ago. The scrape has fresh samples (rate 0); so has the Prometheus fed
    // by remote write, since the Collector pushes every live series each interval, idle or not
    // (send_all_series; without it that Prometheus had no rate at all here).
    expect([...(await at(reference, q, allVars)).values()], 'scrape').toEqual([0]);
    // The Prometheus fed by remote write gets each idle push an interval or two after the scrape
    // sees it: on a loaded machine later than the stack's moment, so it is read at the moment
    // of each try until it reads 0, for up to 30 s (without send_all_series it never would).
    let pushed: number[] = [];
    for (const until = Date.now() + 30_000; Date.now() < until; ) {
      pushed = [...(await answer({ ...stores(), at: new Date() }, receiver, q, allVars)).values()];
      if (pushed.length === 1 && pushed[0] === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(pushed, 'remote-write Prometheus').toEqual([0]);
    // VictoriaMetrics answers too (its rate() also reads the last sample before the window, so
    // whether the last round, seconds ago, is still in it depends on the moment: deploy/README.md).
    expect((await at(vm, q, allVars)).size, 'VictoriaMetrics').toBe(1);
  });
});

const sent = ROUNDS * demoRoundCost();

describe('figures a user reads', () => {
  const overview = dashboards.find((d) => d.uid === 'burnrate-spend-overview');
  const stat = (title: string): PanelQuery => {
    const q = overview && panelQueries(overview).find((x) => x.panel === title);
    if (!q) throw new Error(`no panel ${title}`);
    return q;
  };
  it('spend in range: VictoriaMetrics counts every dollar; Prometheus extrapolates both ways', async () => {
    const { reference, receiver, vm } = stores();
    const figure = async (h: PrometheusHandle): Promise<number> =>
      [...(await at(h, stat('Spend in range'), allVars)).values()][0];
    const [ref, rw, victoria] = await Promise.all([
      figure(reference),
      figure(receiver),
      figure(vm),
    ]);
    console.info(
      `Spend in range for $${sent.toFixed(6)} sent: scrape $${ref.toFixed(6)}, remote-write Prometheus $${rw.toFixed(6)}, VictoriaMetrics $${victoria.toFixed(6)}`,
    );
    // VictoriaMetrics' increase() takes a series born in the window from 0 and never
    // extrapolates: the dollars sent, to the cent and beyond.
    expect(Math.abs(victoria - sent)).toBeLessThan(1e-9);
    // Prometheus' increase() starts at each series' first sample (the first round is not
    // counted) and extrapolates a little at the window's edges, scraped or pushed alike.
    for (const v of [ref, rw]) {
      expect(v).toBeGreaterThan(((ROUNDS - 1) / ROUNDS) * sent * 0.95);
      expect(v).toBeLessThan(sent * 1.05);
    }
  });

  it('month to date (recording rules): every dollar, from the scrape and from remote write', async () => {
    const { reference, receiver, vm } = stores();
    for (const title of ['Month to date', 'Today']) {
      const q = stat(title);
      expect(kind(q.expr)).toBe('rules');
      for (const h of [reference, receiver]) {
        const [v] = (await at(h, q, allVars)).values();
        expect(Math.abs(v - sent), `${title} ${h.url}`).toBeLessThan(1e-9);
      }
      // VictoriaMetrics has no rule engine: the series exist only where vmalert (or a
      // Prometheus that evaluates the rules) writes them (deploy/README.md).
      expect((await at(vm, q, allVars)).size).toBe(0);
    }
  });

  it('every recording-rule query answers the same from the remote-write receiver', async () => {
    const { reference, receiver } = stores();
    const problems: string[] = [];
    for (const q of queries.filter((x) => kind(x.expr) === 'rules' && !windowed.test(x.expr))) {
      const want = await at(reference, q, allVars);
      for (const d of differences(await at(receiver, q, allVars), want))
        problems.push(`${name(q)}: ${d}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('budget evaluator (its own grouped queries)', () => {
  const config = parseConfig(BUDGETS_YAML, 'remote-write-budgets.yaml');

  it('spend and forecast of every budget are the same from all three stores', async () => {
    const { reference, receiver, vm } = stores();
    const when = stores().at.getTime();
    const run = async (h: PrometheusHandle) =>
      (await evaluateBudgets(config.budgets, new PrometheusClient({ url: h.url }), when)).results;
    const [ref, rw, victoria] = await Promise.all([run(reference), run(receiver), run(vm)]);
    const company = ref.find((r) => r.budget.name === 'company-monthly');
    expect(Math.abs((company?.spent ?? 0) - sent)).toBeLessThan(1e-9);
    for (const r of ref) expect(r.spent, r.budget.name).toBeGreaterThan(0);
    for (const other of [rw, victoria]) {
      expect(other.map((r) => r.budget.name)).toEqual(ref.map((r) => r.budget.name));
      other.forEach((r, i) => {
        for (const field of ['spent', 'forecast', 'forecastLow', 'forecastHigh'] as const) {
          expect(Math.abs(r[field] - ref[i][field]), `${r.budget.name} ${field}`).toBeLessThan(
            1e-9 * Math.max(1, ref[i][field]),
          );
        }
        expect(r.matchedSeries, r.budget.name).toBe(ref[i].matchedSeries);
      });
    }
  });
});

describe('a burst after a quiet gap (runs last: it adds a round)', () => {
  it('increase() over a short window: every store sees the burst', async () => {
    const { reference, receiver, vm, collectors } = stores();
    const cost = 'sum(burnrate_llm_cost_usd_total)';
    const [before] = (await reference.query(cost)).map((s) => s.value);
    // A quiet gap longer than the window before the burst comes.
    const quiet = stores().at.getTime() + 6000 - Date.now();
    if (quiet > 0) await new Promise((r) => setTimeout(r, quiet));
    const sentAt = Date.now();
    await Promise.all(collectors.map((c) => sendSpans(c.otlpHttpUrl, demoRound())));
    // Every store holds the whole burst: they agree, twice in a row (on a loaded machine a
    // Collector's push lands late, and part of the burst with it).
    let now = Number.NaN;
    for (const until = Date.now() + 30_000; Date.now() < until; ) {
      const values = await Promise.all(
        [reference, receiver, vm].map(async (h) => (await h.query(cost))[0]?.value ?? 0),
      );
      const agreed = values.every((v) => Math.abs(v - values[0]) < 1e-9) && values[0] > before;
      if (agreed && Math.abs(values[0] - now) < 1e-9) break;
      now = agreed ? values[0] : Number.NaN;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(now, 'the three stores agree on the burst').toBeGreaterThan(before);
    // Let a few more pushes and scrapes land, so each window holds samples on both sides.
    await new Promise((r) => setTimeout(r, 1500));
    const burst = now - before;
    const when = Date.now();
    // A short window that still reaches back past the burst's send (however long the stores took
    // to agree), and not past the quiet gap's start.
    const seconds = Math.max(4, Math.ceil((when - sentAt) / 1000) + 2);
    const window = `sum(increase(burnrate_llm_cost_usd_total[${seconds}s]))`;
    // The idle series were pushed through the gap (send_all_series), so the sample before the
    // burst is inside the window: Prometheus fed by remote write counts the burst as the scrape
    // does (within its extrapolation); without it, it answered nothing.
    for (const h of [reference, receiver]) {
      const [v] = await h.query(window, when);
      expect(v?.value, h.url).toBeGreaterThan(burst * 0.95);
      expect(v?.value, h.url).toBeLessThan(burst * 2);
    }
    // MetricsQL reads on from the last sample before the window: the burst, to the cent.
    const [victoria] = await vm.query(window, when);
    expect(Math.abs(victoria.value - burst)).toBeLessThan(1e-9);
  });
});
