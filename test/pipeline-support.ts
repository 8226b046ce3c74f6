import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ExpectedMetrics,
  expectedMetrics,
  makeTempDir,
  removeTempDir,
  repoRoot,
  type SpanSpec,
} from './harness/index.ts';

/** The five counters of DESIGN.md. */
export const METRICS = [
  'burnrate_llm_cost_usd_total',
  'burnrate_llm_tokens_total',
  'burnrate_llm_requests_total',
  'burnrate_vectordb_operations_total',
  'burnrate_vectordb_cost_usd_total',
] as const;

/**
 * deploy/prometheus/rules/burnrate-recording.yml with its one-minute cadence scaled down
 * (the groups' interval), so a test sees month-to-date work in seconds.
 * Only the cadence changes; the expressions are the shipped ones.
 */
export function monthToDateRules(intervalSeconds = 3): {
  file: string;
  intervalSeconds: number;
  remove: () => void;
} {
  const text = readFileSync(
    join(repoRoot, 'deploy/prometheus/rules/burnrate-recording.yml'),
    'utf8',
  );
  const scaled = text.replaceAll('interval: 1m', `interval: ${intervalSeconds}s`);
  if (scaled === text) throw new Error('burnrate-recording.yml changed: update monthToDateRules()');
  const dir = makeTempDir('rules');
  const file = join(dir, 'burnrate-recording.yml');
  writeFileSync(file, scaled);
  return { file, intervalSeconds, remove: () => removeTempDir(dir) };
}

/** deploy/prometheus/rules/burnrate-alerts.yml evaluated every second with no `for` delay. */
export function immediateAlertRules(): { file: string; remove: () => void } {
  const text = readFileSync(join(repoRoot, 'deploy/prometheus/rules/burnrate-alerts.yml'), 'utf8');
  const fast = text
    .replace(/interval: \d+[smh]/g, 'interval: 1s')
    .replace(/for: \d+[smh]/g, 'for: 0s');
  const dir = makeTempDir('alert-rules');
  const file = join(dir, 'burnrate-alerts.yml');
  writeFileSync(file, fast);
  return { file, remove: () => removeTempDir(dir) };
}

/** deploy/alertmanager/alertmanager.yml posting to `webhookBase` instead of :5001, with 1 s group timings. */
export function shippedAlertmanagerConfig(webhookBase: string): string {
  const text = readFileSync(join(repoRoot, 'deploy/alertmanager/alertmanager.yml'), 'utf8');
  const out = text
    .replaceAll('http://127.0.0.1:5001', webhookBase)
    .replace(/group_wait: \S+/g, 'group_wait: 1s')
    .replace(/group_interval: \S+/g, 'group_interval: 1s');
  if (!out.includes(webhookBase))
    throw new Error('alertmanager.yml changed: update shippedAlertmanagerConfig()');
  return out;
}

/**
 * A phase of traffic after a restart whose every series ends below (or at zero beside) its
 * value before the restart: Prometheus, like every counter consumer, sees a reset only as a
 * decrease (a series that climbs past its old total straight after a restart looks like
 * growth; see collector/README.md).
 */
export function smallerPerSeries(spans: SpanSpec[], before: ExpectedMetrics): SpanSpec[] {
  const groups = new Map<string, SpanSpec[]>();
  for (const s of spans) {
    const key = JSON.stringify([
      s.resource,
      s.attributes['burnrate.team'],
      s.attributes['burnrate.tenant'],
      s.attributes['burnrate.endpoint'] ?? s.attributes['http.route'],
      s.attributes['gen_ai.request.model'],
      s.attributes['db.system.name'],
      s.attributes['db.operation.name'],
      s.status,
      s.attributes['burnrate.cost.source'],
    ]);
    const g = groups.get(key) ?? [];
    g.push(s);
    groups.set(key, g);
  }
  let picked = [...groups.values()].map((g) => g.slice(0, Math.floor((g.length - 1) / 2)));
  for (;;) {
    const after = expectedMetrics(picked.flat());
    const bad = new Set<string>();
    for (const m of METRICS) {
      for (const [key, { value }] of after[m]) {
        if (value > 0 && value >= (before[m].get(key)?.value ?? 0)) bad.add(key);
      }
    }
    if (bad.size === 0) return picked.flat();
    picked = picked.filter((g) => {
      const e = expectedMetrics(g);
      return !METRICS.some((m) => [...e[m].keys()].some((k) => bad.has(k)));
    });
  }
}
