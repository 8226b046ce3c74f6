// Cost-counter history for the report's tests against a real Prometheus: counters with resets,
// series born and gone mid-period, written as OpenMetrics, turned into TSDB blocks by promtool
// and dropped into the running Prometheus' data directory (it loads new blocks within a minute).
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeTempDir,
  type PrometheusHandle,
  removeTempDir,
  run,
  tools,
  waitUntil,
} from '../../../../test/harness/index.ts';

export const LLM = 'burnrate_llm_cost_usd_total';
export const VDB = 'burnrate_vectordb_cost_usd_total';
export const STEP_MS = 300_000;
export const HISTORY_START = Date.parse('2025-01-31T12:00:00Z');
export const HISTORY_END = Date.parse('2025-02-13T00:00:00Z');

export interface HistorySeries {
  metric: string;
  labels: Record<string, string>;
  /** [epoch ms, counter value], on the 5-minute grid. */
  points: Array<[number, number]>;
}

interface Spec {
  metric: string;
  labels: Record<string, string>;
  from: string;
  to?: string;
  /** Mean dollars per 5 minutes. */
  rate: number;
  resets?: string[];
}

const base = { service: 'api', environment: 'production', tenant: 'acme', agent: 'unassigned' };
const llm = (team: string, model: string, extra: Record<string, string> = {}) => ({
  ...base,
  team,
  endpoint: '/answer',
  provider: 'openai',
  model,
  operation: 'chat',
  ...extra,
});
const vdb = (team: string, db: string, extra: Record<string, string> = {}) => ({
  ...base,
  team,
  endpoint: '/answer',
  db_system: db,
  operation: 'query',
  ...extra,
});

const SPECS: Spec[] = [
  // Two Collector restarts: every counter present then starts again from 0.
  {
    metric: LLM,
    labels: llm('search', 'gpt-4o'),
    from: '2025-01-31T12:00Z',
    rate: 0.0173,
    resets: ['2025-02-05T10:05Z', '2025-02-09T16:40Z'],
  },
  {
    metric: LLM,
    labels: llm('support', 'claude-sonnet-4-5', { tenant: 'globex', service: 'helpdesk' }),
    from: '2025-01-31T12:00Z',
    rate: 0.0091,
    resets: ['2025-02-05T10:05Z', '2025-02-09T16:40Z'],
  },
  {
    metric: LLM,
    labels: llm('platform', 'gpt-4o-mini', { service: 'gateway' }),
    from: '2025-01-31T12:00Z',
    rate: 0.0042,
    resets: ['2025-02-05T10:05Z'],
  },
  {
    metric: LLM,
    labels: llm('search', 'gpt-4o', { endpoint: '/gateway' }),
    from: '2025-02-01T03:00Z',
    rate: 0.0027,
  },
  // Born mid-period, no team: unassigned spend.
  {
    metric: LLM,
    labels: llm('unassigned', 'gpt-4o-mini', { tenant: 'unassigned' }),
    from: '2025-02-06T07:35Z',
    rate: 0.0051,
    resets: ['2025-02-09T16:40Z'],
  },
  // An agent's series born on Feb 8 and gone on Feb 10.
  {
    metric: LLM,
    labels: llm('search', 'o3', { agent: 'planner' }),
    from: '2025-02-08T00:05Z',
    to: '2025-02-10T12:00Z',
    rate: 0.0613,
  },
  // Gone before the month starts (in any zone from UTC-11 to UTC+9): never in February.
  {
    metric: LLM,
    labels: llm('support', 'gpt-4o', { tenant: 'globex' }),
    from: '2025-01-31T12:00Z',
    to: '2025-01-31T13:30Z',
    rate: 0.5,
  },
  {
    metric: VDB,
    labels: vdb('search', 'qdrant'),
    from: '2025-01-31T12:00Z',
    rate: 0.0012,
    resets: ['2025-02-05T10:05Z'],
  },
  {
    metric: VDB,
    labels: vdb('platform', 'pinecone', { service: 'gateway' }),
    from: '2025-01-31T12:00Z',
    rate: 0.0008,
    resets: ['2025-02-09T16:40Z'],
  },
];

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function history(): HistorySeries[] {
  const random = prng(16);
  return SPECS.map((s) => {
    const from = Date.parse(s.from);
    const to = Math.min(s.to ? Date.parse(s.to) : HISTORY_END, HISTORY_END);
    const resets = new Set((s.resets ?? []).map((r) => Date.parse(r)));
    const points: Array<[number, number]> = [];
    let v = 0;
    for (let t = from; t <= to; t += STEP_MS) {
      const inc = Math.round(s.rate * (0.2 + 1.6 * random()) * 1e6) / 1e6;
      v = resets.has(t) ? inc : v + inc;
      points.push([t, v]);
    }
    return { metric: s.metric, labels: s.labels, points };
  });
}

/** The spend of one series in (start, end]: growth, a reset's new value, a birth's first value. */
export function seriesSpend(s: HistorySeries, start: number, end: number): number {
  let prev: number | undefined;
  let sum = 0;
  for (const [t, v] of s.points) {
    if (t > start && t <= end) sum += prev === undefined || v < prev ? v : v - prev;
    prev = v;
  }
  return sum;
}

export function toOpenMetrics(series: readonly HistorySeries[]): string {
  const lines: string[] = [];
  for (const metric of [LLM, VDB]) {
    lines.push(`# TYPE ${metric.replace(/_total$/, '')} counter`);
    for (const s of series.filter((x) => x.metric === metric)) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      for (const [t, v] of s.points) lines.push(`${metric}{${labels}} ${v} ${t / 1000}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Writes the history into the running Prometheus and waits until queries see all of it. */
export async function loadHistory(prom: PrometheusHandle, series: readonly HistorySeries[]) {
  const flags = await prom.api<Record<string, string>>('/api/v1/status/flags');
  const dataDir = flags['storage.tsdb.path'];
  const dir = makeTempDir('finance-history');
  try {
    const input = join(dir, 'history.om');
    writeFileSync(input, toOpenMetrics(series));
    const out = join(dir, 'blocks');
    const r = await run(tools.promtool(), [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '-q',
      input,
      out,
    ]);
    if (r.code !== 0) throw new Error(`promtool failed: ${r.stderr}`);
    for (const block of readdirSync(out)) renameSync(join(out, block), join(dataDir, block));
  } finally {
    removeTempDir(dir);
  }
  const want = series.length;
  const at = (HISTORY_END / 1000).toFixed(0);
  await waitUntil(
    async () => {
      const n = await prom.query(
        `count(last_over_time({__name__=~"${LLM}|${VDB}"}[30d]))`,
        Number(at) * 1000,
      );
      return n[0]?.value === want;
    },
    'Prometheus to load the history blocks',
    { timeoutMs: 150_000 },
  );
}
