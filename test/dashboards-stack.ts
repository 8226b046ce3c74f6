// The running stack the dashboard tests query: demo spans → the real Collector → Prometheus with
// the shipped recording rules (month to date, today, last month) and alert rules at a one-second
// cadence, a stand-in budget evaluator, and a dead telemetry target so one Burnrate alert fires.
// Also how Grafana would run a panel query: variables and globals filled in, and when.
import { type Interpolation, interpolate } from '../dashboards/src/interpolate.ts';
import type { PanelQuery } from '../dashboards/src/queries.ts';
import { demoRound, startBudgetExporter } from './dashboards-fixtures.ts';
import { type CollectorHandle, startCollector } from './harness/collector.ts';
import { freePort } from './harness/ports.ts';
import { type PrometheusHandle, startPrometheus } from './harness/prometheus.ts';
import { sendSpans } from './harness/spans.ts';
import { immediateAlertRules, monthToDateRules } from './pipeline-support.ts';

export const ROUNDS = 4;
export const SCRAPE_SECONDS = 1;

export type Vars = Interpolation['vars'];

export const allVars: Vars = {
  environment: '$__all',
  team: '$__all',
  service: '$__all',
  endpoint: '$__all',
  model: '$__all',
  tenant: '$__all',
  budget: '$__all',
  agent: '$__all',
};
export const narrowedVars: Vars = {
  environment: ['production'],
  team: ['search'],
  service: ['search-api'],
  endpoint: ['GET /v1/search'],
  model: ['claude-sonnet-4-5', 'text-embedding-3-small', 'acme-large-2'],
  // search-api's calls are globex's; agent runs carry no tenant.
  tenant: ['globex', 'unassigned'],
  budget: '$__all',
  // researcher makes the claude and tool calls; coder leads runs and trips the breaker.
  agent: ['researcher', 'coder'],
};

export type DashboardStack = { prom: PrometheusHandle; stop(): Promise<void> };

export async function startDashboardStack(): Promise<DashboardStack> {
  const exporter = await startBudgetExporter();
  const collector: CollectorHandle = await startCollector();
  const rules = monthToDateRules(1);
  const alerts = immediateAlertRules();
  const prom = await startPrometheus({
    scrapeTargets: [
      { job: 'burnrate-collector', targets: [collector.metricsTarget] },
      { job: 'burnrate-budget-evaluator', targets: [exporter.target] },
      // Nothing listens here: BurnrateCollectorTelemetryDown fires (for the alert panels).
      { job: 'burnrate-collector-telemetry', targets: [`127.0.0.1:${await freePort()}`] },
    ],
    ruleFiles: [rules.file, alerts.file],
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  });
  const stop = async (): Promise<void> => {
    await prom.stop();
    await collector.stop();
    await exporter.close();
    rules.remove();
    alerts.remove();
  };
  try {
    // Model calls Burnrate priced (run spans, `invoke_agent`, are not calls: no cost source).
    const perRound = demoRound().filter(
      (s) => 'gen_ai.operation.name' in s.attributes && 'burnrate.cost.source' in s.attributes,
    ).length;
    for (let round = 1; round <= ROUNDS; round++) {
      await sendSpans(collector.otlpHttpUrl, demoRound());
      // Wait until Prometheus has scraped this round, then one more scrape, so every series has
      // a sample per round and counters grow between samples (increase() needs two).
      await prom.waitFor(
        'sum(burnrate_llm_requests_total)',
        (s) => s[0]?.value === perRound * round,
      );
      await new Promise((r) => setTimeout(r, 1500 * SCRAPE_SECONDS));
    }
    await prom.waitFor('count(burnrate_budget_spend_usd)', (s) => s[0]?.value === 3);
    // The month-to-date rules have taken every round in.
    for (const [rule, counter] of [
      ['attribution_model:burnrate_llm_cost_usd:month_to_date', 'burnrate_llm_cost_usd_total'],
      ['attribution:burnrate_vectordb_cost_usd:month_to_date', 'burnrate_vectordb_cost_usd_total'],
    ]) {
      await prom.waitFor(`abs(sum(${rule}) - sum(${counter}))`, (s) => (s[0]?.value ?? 1) < 1e-9);
    }
    await prom.waitFor('ALERTS{alertstate="firing"}', (s) => s.length > 0);
  } catch (err) {
    await stop();
    throw err;
  }
  return { prom, stop };
}

/** Grafana's time range in seconds for a `now-7d` style `from`, or a panel's `now/M` override. */
export function rangeSeconds(from: string, now: Date): number {
  if (from === 'now/M') {
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    // The first minutes of a month hold too little history for a query over "this month so far".
    return Math.max(Math.floor((now.getTime() - monthStart) / 1000), 600);
  }
  const m = /^now-(\d+)([mhd])$/.exec(from);
  if (!m) throw new Error(`unsupported time range ${from}`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as 'm' | 'h' | 'd'];
}

/** Every range selector of `expr` reads the week before (offset 7d or 1w). */
export function onlyLastWeek(expr: string): boolean {
  const offsets = (expr.match(/\] offset (7d|1w)/g) ?? []).length;
  return offsets > 0 && offsets === (expr.match(/\[[^\]]+\]/g) ?? []).length;
}

export type Expanded = { expr: string; at: number; range: number; interval: number };

/**
 * A panel query as Grafana sends it, with the time picker on "Last 5 minutes" (the demo traffic
 * is seconds old) or the panel's own override: variables and globals filled in, at `now`.
 * `shiftLastWeek`: a query over only the week before is evaluated 7 days ahead, so "the week
 * before" is the demo traffic (its syntax, names and maths are what is under test).
 */
export function expand(
  q: PanelQuery,
  vars: Vars,
  shiftLastWeek = true,
  now = new Date(),
): Expanded {
  const range = rangeSeconds(q.timeFrom ?? 'now-5m', now);
  // Grafana: $__interval ≈ range / max data points (~1,000 for a full-width panel), at least the scrape interval.
  const interval = Math.max(Math.ceil(range / 1000), SCRAPE_SECONDS);
  const expr = interpolate(q.expr, {
    vars,
    rangeSeconds: range,
    intervalSeconds: interval,
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  });
  const shift = shiftLastWeek && onlyLastWeek(expr) ? 7 * 86400_000 : 0;
  return { expr, at: now.getTime() + shift, range, interval };
}

/** Prometheus' answer to one expanded query: instant, or a range over the panel's time range. */
export async function runExpanded(
  prom: PrometheusHandle,
  e: Expanded,
  instant: boolean,
): Promise<Array<{ labels: Record<string, string>; values: Array<[number, number]> }>> {
  if (instant)
    return (await prom.query(e.expr, e.at)).map((s) => ({
      labels: s.labels,
      values: [[e.at / 1000, s.value]],
    }));
  const params = new URLSearchParams({
    query: e.expr,
    start: String(e.at / 1000 - e.range),
    end: String(e.at / 1000),
    step: String(e.interval),
  });
  const data = await prom.api<{
    result: { metric: Record<string, string>; values: [number, string][] }[];
  }>(`/api/v1/query_range?${params}`);
  return data.result.map((r) => ({
    labels: r.metric,
    values: r.values.map(([t, v]) => [t, Number(v)] as [number, number]),
  }));
}
