import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { PrometheusHandle, Series } from './harness/index.ts';
import { artifactsDir, repoRoot, seriesKey } from './harness/index.ts';

// Helpers of test/pipeline-tiers.test.ts: what Prometheus holds, counted exactly from its raw
// samples (no extrapolation), the way the budget evaluator and the month-to-date rules count.

/** Labels that say where a series was scraped from, not what it counts. */
const WHERE = new Set(['__name__', 'job', 'instance', 'collector_instance']);

type RawSeries = { metric: Record<string, string>; values: [number, string][] };

/** Every stored sample of `selector` in the last `seconds`, per series. */
async function rawSamples(
  prom: PrometheusHandle,
  selector: string,
  seconds: number,
): Promise<RawSeries[]> {
  const data = await prom.api<{ result: RawSeries[] }>(
    `/api/v1/query?${new URLSearchParams({ query: `${selector}[${seconds}s]` })}`,
  );
  return data.result;
}

/** What a counter's samples add up to: its first value, each rise, after a drop the new value. */
function addedUp(values: [number, string][]): number {
  let sum = 0;
  let last = 0;
  for (const [, v] of values) {
    const value = Number(v);
    sum += value >= last ? value - last : value;
    last = value;
  }
  return sum;
}

/**
 * Per label set (without the scrape labels and collector_instance), the spend every stored
 * sample of `selector` in the last `seconds` adds up to: per series, its first value (a series
 * born in the window starts at 0), plus each rise, plus after a drop (a counter reset: a
 * restarted gateway) the new value. Series of several gateways with the same labels add up.
 */
export async function countedFromSamples(
  prom: PrometheusHandle,
  selector: string,
  seconds: number,
): Promise<Series> {
  const out: Series = new Map();
  for (const series of await rawSamples(prom, selector, seconds)) {
    const sum = addedUp(series.values);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(series.metric)) if (!WHERE.has(k)) labels[k] = v;
    const key = seriesKey(labels);
    const prev = out.get(key);
    if (prev) prev.value += sum;
    else out.set(key, { labels, value: sum });
  }
  return out;
}

/** The sum of a Series' values. */
export function seriesTotal(series: Series): number {
  let sum = 0;
  for (const s of series.values()) sum += s.value;
  return sum;
}

/** What every stored cost sample of the last `seconds` adds up to (spans' and apps'), in $. */
export async function spendInPrometheus(prom: PrometheusHandle, seconds: number): Promise<number> {
  let sum = 0;
  for (const m of ['burnrate_llm_cost_usd_total', 'burnrate_vectordb_cost_usd_total'])
    sum += seriesTotal(await countedFromSamples(prom, m, seconds));
  return sum;
}

/**
 * Month-to-date of the shipped recording rules, once two evaluations made after this call agree
 * (read by the rule's own sample timestamps: on a loaded machine Prometheus may evaluate late, and
 * two equal reads of one old evaluation are not a settled value).
 */
export async function settledMonthToDate(
  prom: PrometheusHandle,
  intervalSeconds: number,
): Promise<number> {
  const rule = 'team_environment:burnrate_cost_usd:month_to_date';
  const since = Date.now() / 1000;
  let last: { at: number; value: number } | undefined;
  for (const until = Date.now() + 120_000; Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, intervalSeconds * 1_000));
    const [value] = await prom.query(`sum(${rule})`);
    const [at] = await prom.query(`max(timestamp(${rule}))`);
    if (!value || !at || at.value < since) continue;
    if (last && at.value > last.at && value.value === last.value) return value.value;
    if (!last || at.value > last.at) last = { at: at.value, value: value.value };
  }
  throw new Error(`${rule} did not settle within 120 s (last ${JSON.stringify(last)})`);
}

/**
 * Why the month-to-date rules and the raw samples disagree, per counter series: what its samples
 * add up to against the sum of the growth the rules recorded for it, and for each series that
 * differs, its raw samples (value changes only) and the rules' non-zero growth, as `t=value`
 * (t in seconds since the first sample), the first `limit` of them. Empty when every series
 * agrees to 1e-9.
 */
export async function monthToDateMismatch(
  prom: PrometheusHandle,
  seconds: number,
  limit = 10,
): Promise<string> {
  const key = (m: Record<string, string>) => {
    const { __name__: _, ...labels } = m;
    return seriesKey(labels);
  };
  const lines: string[] = [];
  for (const kind of ['llm', 'vectordb']) {
    const counters = await rawSamples(prom, `burnrate_${kind}_cost_usd_total`, seconds);
    const growth = new Map(
      (await rawSamples(prom, `burnrate:${kind}_cost_usd:growth`, seconds)).map((g) => [
        key(g.metric),
        g,
      ]),
    );
    for (const c of counters) {
      const held = addedUp(c.values);
      const g = growth.get(key(c.metric));
      const counted = (g?.values ?? []).reduce((s, [, v]) => s + Number(v), 0);
      if (Math.abs(held - counted) <= 1e-9 || lines.length >= 3 * limit) continue;
      const t0 = c.values[0]?.[0] ?? 0;
      const at = (t: number) => (t - t0).toFixed(1);
      const changes = c.values.filter(([, v], i) => i === 0 || v !== c.values[i - 1][1]);
      lines.push(
        `${key(c.metric)}: samples add up to ${held}, the rules counted ${counted}`,
        `  samples: ${changes.map(([t, v]) => `${at(t)}=${v}`).join(' ')}`,
        `  growth: ${(g?.values ?? [])
          .filter(([, v]) => Number(v) !== 0)
          .map(([t, v]) => `${at(t)}=${v}`)
          .join(' ')}`,
      );
    }
  }
  return lines.join('\n');
}

/** How many series a counter has on each gateway (by collector_instance), right now. */
export async function seriesPerInstance(
  prom: PrometheusHandle,
  metric: string,
): Promise<Record<string, number>> {
  const rows = await prom.query(`sum by (collector_instance) (${metric})`);
  return Object.fromEntries(rows.map((r) => [r.labels.collector_instance ?? '', r.value]));
}

/** The recorded chat call's cost: 15 input and 20 output tokens of gpt-3.5-turbo. */
export const CALL_COST = (15 * 0.5 + 20 * 1.5) / 1e6;

export type App = {
  readonly process: ChildProcess;
  /** SIGTERM, then the app's own count of the calls it made ({"calls", "failed"}). */
  finish(): Promise<{ calls: number; failed: number }>;
};

/**
 * An app with the one import (packages/auto/test-apps/steady-calls.mjs) making `perSecond`
 * priced calls a second to the replay server, its OTLP going to `otlpHttpUrl`.
 */
export function startApp(name: string, otlpHttpUrl: string, replayUrl: string, perSecond = 5): App {
  const log = createWriteStream(join(artifactsDir, `${name}-${Date.now()}.log`));
  let output = '';
  const child = spawn(
    process.execPath,
    ['--conditions=@burnrate/source', '--import', '@burnrate/auto', 'steady-calls.mjs'],
    {
      cwd: join(repoRoot, 'packages/auto/test-apps'),
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${replayUrl}/v1`,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl,
        OTEL_SERVICE_NAME: name,
        BURNRATE_ENVIRONMENT: 'tiers',
        BURNRATE_TEAM: 'payments',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRIC_EXPORT_INTERVAL: '2000',
        CALLS_PER_SECOND: String(perSecond),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const s of [child.stdout, child.stderr])
    s?.on('data', (c: Buffer) => {
      output += c.toString();
      log.write(c);
    });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    process: child,
    finish: async () => {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
        calls: number;
        failed: number;
      };
    },
  };
}
