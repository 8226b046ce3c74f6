const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `30s`, `5m`, `1h`, `1d` into seconds; undefined when malformed or zero. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * (UNITS[m[2]] ?? 0);
  return seconds > 0 ? seconds : undefined;
}
