// The running stores for test/remote-write-stores.test.ts: the dashboards' demo traffic into two
// Collectors with collector/remote-write.yaml, one pushing to VictoriaMetrics (and scraped by the
// reference Prometheus), one to a Prometheus remote-write receiver; both Prometheus run the
// recording rules. Also which dashboard queries read what, and how Grafana would send them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DashboardJson, type PanelQuery, panelQueries } from '../dashboards/src/queries.ts';
import { demoRound } from './dashboards-fixtures.ts';
import { expand, type Vars } from './dashboards-stack.ts';
import {
  type PrometheusHandle,
  repoRoot,
  type Sample,
  sendSpans,
  startPrometheus,
} from './harness/index.ts';
import {
  keyed,
  type RemoteWriteCollector,
  startRemoteWriteCollector,
} from './harness/remote-write.ts';
import { startVictoriaMetrics, type VictoriaMetricsHandle } from './harness/victoriametrics.ts';
import { monthToDateRules } from './pipeline-support.ts';

export const ROUNDS = 4;
export const dashboards = readdirSync(join(repoRoot, 'dashboards'))
  .filter((f) => f.endsWith('.json') && f !== 'package.json')
  .map((f) => JSON.parse(readFileSync(join(repoRoot, 'dashboards', f), 'utf8')) as DashboardJson);

export type Stores = {
  reference: PrometheusHandle; // scrapes collector A, runs the recording rules
  receiver: PrometheusHandle; // Prometheus' remote-write receiver (collector B), same rules
  vm: VictoriaMetricsHandle; // VictoriaMetrics (collector A), no rule engine
  collectors: RemoteWriteCollector[];
  /** When the figures are read: every store has every round by then. */
  at: Date;
  /** When the traffic began. */
  started: number;
  stop(): Promise<void>;
};

/** Starts the stores and Collectors and sends ROUNDS rounds of demo traffic to both Collectors. */
export async function startStores(): Promise<Stores> {
  const rules = monthToDateRules(1);
  const running: Array<{ stop(): Promise<void> }> = [];
  const start = async <T extends { stop(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const h = await p;
    running.unshift(h); // stopped in reverse order
    return h;
  };
  const stop = async (): Promise<void> => {
    for (const h of running) await h.stop();
    rules.remove();
  };
  try {
    const vm = await start(startVictoriaMetrics());
    const receiver = await start(
      startPrometheus({ scrapeTargets: [], remoteWriteReceiver: true, ruleFiles: [rules.file] }),
    );
    // Two Collectors with the same overlay: A pushes to VictoriaMetrics and is scraped, B
    // pushes to Prometheus; both get the same spans, so their counters are equal.
    const a = await start(
      startRemoteWriteCollector({
        BURNRATE_REMOTE_WRITE_URL: vm.writeUrl,
        BURNRATE_COLLECTOR_INSTANCE: 'collector-a',
      }),
    );
    const b = await start(
      startRemoteWriteCollector({
        BURNRATE_REMOTE_WRITE_URL: `${receiver.url}/api/v1/write`,
        BURNRATE_COLLECTOR_INSTANCE: 'collector-b',
      }),
    );
    const reference = await start(
      startPrometheus({
        scrapeTargets: [{ job: 'burnrate-collector', targets: [a.metricsTarget] }],
        ruleFiles: [rules.file],
      }),
    );
    const started = Date.now();
    const perRound = demoRound().filter(
      (s) => 'gen_ai.operation.name' in s.attributes && 'burnrate.cost.source' in s.attributes,
    ).length;
    const requests = 'sum(burnrate_llm_requests_total)';
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all([a, b].map((c) => sendSpans(c.otlpHttpUrl, demoRound())));
      await reference.waitFor(requests, (s) => s[0]?.value === perRound * round);
      await new Promise((r) => setTimeout(r, 1500));
    }
    const all = (s: Sample[]): boolean => s[0]?.value === perRound * ROUNDS;
    await receiver.waitFor(requests, all);
    await vm.waitFor(requests, all);
    for (const prom of [reference, receiver]) {
      await prom.waitFor(
        'abs(sum(attribution_model:burnrate_llm_cost_usd:month_to_date) - sum(burnrate_llm_cost_usd_total))',
        (s) => (s[0]?.value ?? 1) < 1e-9,
      );
    }
    await new Promise((r) => setTimeout(r, 2000)); // a couple more scrapes and rule cycles
    return { reference, receiver, vm, collectors: [a, b], at: new Date(), started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Budgets over both sources, each period kind, equality, regex and negative selectors. */
export const BUDGETS_YAML = `defaults:
  timezone: UTC
  sources: [llm, vectordb]
  forecast: { lookback: 10m, step: 30s }
  thresholds: [{ at: 80%, kind: forecast, severity: warning }]
budgets:
  - { name: company-monthly, period: monthly, limit_usd: 1000 }
  - { name: search-daily, period: daily, limit_usd: 50, selector: { team: search } }
  - name: prod-openai-weekly
    period: weekly
    limit_usd: 100
    sources: [llm]
    selector: { environment: production, provider: { regex: "open.*" } }
  - { name: staging-rolling-1h, period: rolling-1h, limit_usd: 10, selector: { environment: { not_equals: production } } }
  - { name: vectors-monthly, period: monthly, limit_usd: 10, sources: [vectordb] }
`;

/** Which series a query reads: the Collector's, recording rules', or other processes' metrics. */
export function kind(expr: string): 'collector' | 'rules' | 'other' {
  const outside = expr.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
  if (/burnrate_budget_|ALERTS|\bup\b|otelcol_/.test(outside)) return 'other';
  if (/[a-zA-Z_]+:[a-zA-Z_:0-9]+/.test(outside)) return 'rules';
  return 'collector';
}

/** Functions whose answer depends on when samples were taken (and on extrapolation). */
export const windowed = /\b(increase|rate|irate|delta|idelta|deriv|changes|resets)\(/;

/** A ratio of two windowed figures (per call, per run, a share, a quantile). */
export function isRatio(q: PanelQuery): boolean {
  const outside = q.expr.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
  // The "(estimate)" panels multiply a share by a spend: a total, not a ratio.
  return (
    (outside.includes('/') || outside.includes('histogram_quantile')) &&
    !q.panel.includes('(estimate)')
  );
}

export const queries = dashboards.flatMap((d) => panelQueries(d).filter((q) => q.expr));
export const collectorQueries = queries.filter((q) => kind(q.expr) === 'collector');
export const name = (q: PanelQuery): string => `${q.dashboard} / ${q.panel} ${q.refId}`;

/**
 * A panel query as Grafana sends it at the stack's moment, as `labels → value`; `widen` stretches
 * a rate window (Grafana's $__rate_interval) to hold all the traffic.
 */
export async function answer(
  s: Stores,
  h: PrometheusHandle,
  q: PanelQuery,
  vars: Vars,
  widen = false,
): Promise<Map<string, number>> {
  const e = expand(q, vars, true, s.at);
  const secs = Math.ceil((s.at.getTime() - s.started) / 1000) + 5;
  const expr = widen
    ? e.expr.replace(/\[(\d+)s\]/g, (w, n: string) => (Number(n) < secs ? `[${secs}s]` : w))
    : e.expr;
  return keyed(await h.query(expr, e.at));
}
