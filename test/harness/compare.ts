import { type Series, seriesKey } from './expected.ts';
import type { Sample } from './prometheus.ts';

/** Labels Prometheus adds or that are not part of a Burnrate series' identity. */
// exported_job / exported_instance: the process (service.name / service.instance.id) whose cumulative
// cost metrics a series carries; a Burnrate series is the sum over processes.
const SCRAPE_LABELS = new Set(['__name__', 'job', 'instance', 'exported_job', 'exported_instance']);

/** Prometheus samples as a Series keyed like expectedMetrics() (scrape labels dropped). */
export function toSeries(samples: Sample[]): Series {
  const out: Series = new Map();
  for (const s of samples) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) if (!SCRAPE_LABELS.has(k)) labels[k] = v;
    const key = seriesKey(labels);
    const prev = out.get(key);
    if (prev) prev.value += s.value;
    else out.set(key, { labels, value: s.value });
  }
  return out;
}

/**
 * Differences between two Series beyond `tolerance` (absolute): missing, extra and unequal
 * series, as readable lines. Empty when they agree.
 */
export function diffSeries(actual: Series, expected: Series, tolerance = 1e-9): string[] {
  const problems: string[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (!got) problems.push(`missing ${key} (want ${want.value})`);
    else if (Math.abs(got.value - want.value) > tolerance) {
      problems.push(`${key}: got ${got.value}, want ${want.value}`);
    }
  }
  for (const [key, got] of actual) {
    if (!expected.has(key)) problems.push(`unexpected ${key} = ${got.value}`);
  }
  return problems;
}
