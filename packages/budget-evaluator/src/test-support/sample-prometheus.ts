// A PrometheusClient stand-in that answers the evaluator's ledger and reset queries from sample
// arrays, with Prometheus 2.42's semantics (range selectors include both ends; stale samples
// are never in a range). Used to check the per-series ledger against the period-spend formula.
import { PrometheusClient, type RangeSeries, type Sample } from '../query/prometheus.ts';

export interface FakeSeries {
  metric: Record<string, string>;
  /** [ms, value], in time order. */
  samples: Array<[number, number]>;
}

export class SamplePrometheus extends PrometheusClient {
  data: FakeSeries[] = [];
  /** A sample becomes visible this many ms after its timestamp. */
  delayMs = 0;
  /** Wall clock of the simulation: what is visible. */
  now = 0;
  log: string[] = [];

  constructor() {
    super({ url: 'http://fake.invalid' });
  }

  private visible(s: FakeSeries, from: number, to: number): Array<[number, number]> {
    const end = Math.min(to, this.now - this.delayMs);
    return s.samples.slice(lowerBound(s.samples, from), lowerBound(s.samples, end + 1));
  }

  private rows<T>(f: (s: FakeSeries) => T | null): Array<{ s: FakeSeries; r: T }> {
    const out: Array<{ s: FakeSeries; r: T }> = [];
    for (const s of this.data) {
      const r = f(s);
      if (r !== null) out.push({ s, r });
    }
    return out;
  }

  override async query(promql: string, timeMs: number): Promise<Sample[]> {
    this.queries++;
    this.log.push(promql);
    let m = /^last_over_time\(\w+\[(\d+)ms\](?: offset (\d+)ms)?\)$/.exec(promql);
    if (m) {
      const at = timeMs - Number(m[2] ?? 0);
      return this.rows((s) => this.visible(s, at - Number(m?.[1]), at).at(-1) ?? null).map(
        ({ s, r }) => ({ metric: strip(s.metric), value: r[1] }),
      );
    }
    m = /^count\(resets\(\w+\[(\d+)ms\]\) > 0\)$/.exec(promql);
    if (m) {
      const n = this.rows((s) =>
        drops(this.visible(s, timeMs - Number(m?.[1]), timeMs)) ? 1 : null,
      );
      return n.length > 0 ? [{ metric: {}, value: n.length }] : [];
    }
    m = LOCATE.exec(promql);
    if (m) return this.locate(Number(m[1]), Number(m[2]), timeMs);
    throw new Error(`unexpected query ${promql}`);
  }

  override async queryMatrix(promql: string, timeMs: number): Promise<RangeSeries[]> {
    this.queries++;
    this.log.push(promql);
    const m = /^\w+\[(\d+)ms\]$/.exec(promql);
    if (!m) throw new Error(`unexpected matrix query ${promql}`);
    return this.rows((s) => {
      const v = this.visible(s, timeMs - Number(m[1]), timeMs);
      return v.length > 0 ? v : null;
    }).map(({ s, r }) => ({ metric: s.metric, values: r.map(([t, x]) => [t / 1000, x]) }));
  }

  override async eachSeries(
    promql: string,
    timeMs: number,
    onSeries: (s: RangeSeries) => void,
  ): Promise<void> {
    for (const s of await this.queryMatrix(promql, timeMs)) onSeries(s);
  }

  override async queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    this.queries++;
    this.log.push(promql);
    const m = LOCATE.exec(promql);
    if (!m) throw new Error(`unexpected range query ${promql}`);
    const out = new Map<FakeSeries, Array<[number, number]>>();
    for (let t = startMs; t <= endMs; t += stepSeconds * 1000) {
      for (const row of this.locate(Number(m[1]), Number(m[2]), t)) {
        const s = this.data.find((x) => x.metric === row.metric) as FakeSeries;
        out.set(s, [...(out.get(s) ?? []), [t / 1000, 1]]);
      }
    }
    return [...out].map(([s, values]) => ({ metric: s.metric, values }));
  }

  /** `resets(m[w]) > 0 or min_over_time(m[w]) < last_over_time(m[lookback] offset w)`. */
  private locate(windowMs: number, lookbackMs: number, at: number): Sample[] {
    return this.rows((s) => {
      const w = this.visible(s, at - windowMs, at);
      if (w.length === 0) return null;
      if (drops(w)) return 1;
      const before = this.visible(s, at - windowMs - lookbackMs, at - windowMs).at(-1);
      return before && Math.min(...w.map(([, v]) => v)) < before[1] ? 1 : null;
    }).map(({ s }) => ({ metric: s.metric, value: 1 }));
  }
}

const LOCATE =
  /^resets\(\w+\[(\d+)ms\]\) > 0 or min_over_time\(\w+\[\d+ms\]\) < last_over_time\(\w+\[(\d+)ms\] offset \d+ms\)$/;

/** The first index whose time is at least `t`. */
function lowerBound(samples: ReadonlyArray<[number, number]>, t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid][0] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function drops(samples: Array<[number, number]>): boolean {
  return samples.some(([, v], i) => i > 0 && v < samples[i - 1][1]);
}

function strip(metric: Record<string, string>): Record<string, string> {
  const { __name__: _, ...rest } = metric;
  return rest;
}

/** The period-spend formula the evaluator has always used, over the samples visible at `at`. */
export function referenceSpend(
  samples: Array<[number, number]>,
  start: number,
  at: number,
): number {
  const hour = 3_600_000;
  const inWindow = samples.filter(([t]) => t >= start && t <= at);
  if (inWindow.length === 0) return 0;
  const before = samples.filter(([t]) => t >= start - hour && t <= start).at(-1);
  let spend = (inWindow.at(-1) as [number, number])[1] - (before ? before[1] : 0);
  let prev: [number, number] | undefined;
  for (const s of samples) {
    if (s[0] > at) break;
    if (prev && s[0] > start && prev[0] >= start - hour && s[1] < prev[1]) spend += prev[1];
    prev = s;
  }
  return spend;
}
