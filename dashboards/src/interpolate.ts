// Grafana's variable interpolation for Prometheus queries, enough to run a dashboard's queries
// against Prometheus directly: template variables (multi-value as a regex alternation, "All" as
// the variable's allValue) and the global $__rate_interval, $__range, $__range_s, $__interval.

export type Interpolation = {
  /** Values per template variable; `'$__all'` (or absent) selects the variable's allValue. */
  vars: Record<string, string[] | '$__all'>;
  /** allValue per variable (Burnrate's is `.*`). */
  allValue?: string;
  /** The dashboard's (or panel's) time range, in seconds. */
  rangeSeconds: number;
  /** Grafana's $__interval for the panel, in seconds. */
  intervalSeconds: number;
  /** The data source's scrape interval, in seconds (Grafana's "Scrape interval" setting). */
  scrapeIntervalSeconds: number;
};

/** Escapes a value the way Grafana's Prometheus data source does inside a regex matcher. */
export function escapeRegexValue(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
}

/** $__rate_interval = max($__interval + scrape interval, 4 × scrape interval). */
export function rateIntervalSeconds(i: Interpolation): number {
  return Math.max(i.intervalSeconds + i.scrapeIntervalSeconds, 4 * i.scrapeIntervalSeconds);
}

export function interpolate(expr: string, i: Interpolation): string {
  const globals: Record<string, string> = {
    __rate_interval: `${rateIntervalSeconds(i)}s`,
    __interval_ms: String(i.intervalSeconds * 1000),
    __interval: `${i.intervalSeconds}s`,
    __range_s: String(i.rangeSeconds),
    __range_ms: String(i.rangeSeconds * 1000),
    __range: `${i.rangeSeconds}s`,
  };
  return expr.replace(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g, (whole, name: string) => {
    if (name in globals) return globals[name];
    if (!(name in i.vars)) return whole;
    const v = i.vars[name];
    if (v === '$__all') return i.allValue ?? '.*';
    return v.length === 1 ? escapeRegexValue(v[0]) : `(${v.map(escapeRegexValue).join('|')})`;
  });
}
