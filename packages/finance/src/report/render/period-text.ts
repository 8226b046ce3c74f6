import type { Report } from '../model.ts';
import { formatLocal } from '../period.ts';

/** `2025-02-01 00:00 to 2025-03-01 00:00 Asia/Tokyo (end exclusive)`, "to date" while running. */
export function periodText(r: Report): string {
  const tz = r.period.timeZone;
  const start = formatLocal(Date.parse(r.period.start), tz);
  const end = formatLocal(Date.parse(r.period.end), tz);
  return `${start} to ${end} ${tz}${r.period.complete ? ' (end exclusive)' : ' (to date)'}`;
}
