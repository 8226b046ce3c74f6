// The digest as presentation-neutral content: a title, a summary and sections of plain-text
// items. Slack, e-mail and the webhook's `text` all render from this.
import type { HorizonForecast } from '../forecast/forecast.ts';
import type { DigestData, Mover } from './data.ts';

export interface Section {
  title: string;
  items: string[];
  /** Shown when there are no items. */
  empty: string;
}

export interface DigestContent {
  title: string;
  summary: string;
  sections: Section[];
  footer: string;
}

const HORIZON_TITLES: Record<HorizonForecast['horizon'], string> = {
  next_7_days: 'Next 7 days',
  month_end: 'Month to its end',
  quarter_end: 'Quarter to its end',
};

/** $1,234.56; under $1 with up to 4 decimals ($0.0042). */
export function usd(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const abs = Math.abs(x);
  const digits =
    abs >= 1 || abs === 0 ? 2 : Math.min(4, Math.max(2, -Math.floor(Math.log10(abs)) + 1));
  const text = abs.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${x < 0 ? '-' : ''}$${text}`;
}

export function signedUsd(x: number): string {
  return `${x >= 0 ? '+' : '-'}${usd(Math.abs(x))}`;
}

export function percent(ratio: number | null, signed = false): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'new';
  const p = ratio * 100;
  const text = `${Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1)} %`;
  return signed && p >= 0 ? `+${text}` : text;
}

/** A local date and time, e.g. "Mon 2026-03-30 09:00". */
export function localTime(ms: number, timeZone: string, withTime = true): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: withTime ? '2-digit' : undefined,
    minute: withTime ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('weekday')} ${get('year')}-${get('month')}-${get('day')}`;
  return withTime ? `${date} ${get('hour')}:${get('minute')}` : date;
}

function mover(m: Mover): string {
  return `${m.key}: ${usd(m.thisWeekUsd)} (last week ${usd(m.lastWeekUsd)}, ${signedUsd(m.deltaUsd)}, ${percent(m.deltaRatio, true)})`;
}

function labelText(labels: Record<string, string>): string {
  const keys = Object.keys(labels)
    .filter((k) => !['job', 'instance'].includes(k))
    .sort();
  return keys.map((k) => `${k}=${labels[k]}`).join(', ');
}

export function digestContent(d: DigestData): DigestContent {
  const tz = d.timeZone;
  const change = d.totals.thisWeekUsd - d.totals.lastWeekUsd;
  const ratio = d.totals.lastWeekUsd > 0 ? change / d.totals.lastWeekUsd : null;
  const summary = `Spend ${localTime(d.week.start, tz)} – ${localTime(d.week.end, tz)} (${tz}): ${usd(d.totals.thisWeekUsd)}, last week ${usd(d.totals.lastWeekUsd)} (${signedUsd(change)}, ${percent(ratio, true)}).`;
  const sections: Section[] = [
    { title: 'Top movers by team', items: d.movers.team.map(mover), empty: 'No change.' },
    { title: 'Top movers by model', items: d.movers.model.map(mover), empty: 'No change.' },
    { title: 'Top movers by agent', items: d.movers.agent.map(mover), empty: 'No change.' },
    {
      title: 'Anomalies',
      items: [
        ...d.alerts.map((a) => {
          const l = labelText(a.labels);
          const when = a.stillFiring ? 'still firing' : `last ${localTime(a.lastSeen, tz)}`;
          return `Alert ${a.alertname}${l ? ` {${l}}` : ''}: fired ${Math.round(a.firingMinutes)} min, first ${localTime(a.firstSeen, tz)}, ${when}`;
        }),
        ...d.jumps.map(
          (j) =>
            `Spend jump, team ${j.team} on ${localTime(j.day, tz, false)}: ${usd(j.usd)} vs ${usd(j.baselineUsd)} a week before (${j.ratio === null ? 'new spend' : `×${j.ratio.toFixed(1)}`})`,
        ),
      ],
      empty: 'No Burnrate alert fired and no spend jump.',
    },
    {
      title: 'Budgets at risk',
      items: d.budgets.atRisk.map((b) => {
        const why = b.reasons
          .map((r) =>
            r === 'forecast'
              ? `forecast ${percent(b.forecastRatio)} of the limit`
              : `${percent(b.utilization)} used`,
          )
          .join(', ');
        return `${b.budget}: ${usd(b.spendUsd)} of ${usd(b.limitUsd)}, forecast ${usd(b.forecastUsd)} (${why})`;
      }),
      empty: `None (${d.budgets.evaluated} budget(s) evaluated).`,
    },
    { title: 'Forecast', items: forecastItems(d), empty: 'No forecast.' },
  ];
  if (d.problems.length > 0) {
    sections.push({ title: 'Could not compute', items: d.problems, empty: '' });
  }
  return {
    title: `Burnrate weekly digest, week to ${localTime(d.week.end, tz, false)}`,
    summary,
    sections,
    footer: `Generated ${new Date(d.generatedAt).toISOString()} by Burnrate${d.dashboardUrl ? ` · ${d.dashboardUrl}` : ''}`,
  };
}

function forecastItems(d: DigestData): string[] {
  const f = d.forecast;
  if (!f) return [];
  if (!f.ok) return [`Cannot forecast yet: ${f.message}.`];
  const band = Math.round(f.coverage * 100);
  return f.horizons.map((h) => {
    const t = h.total;
    const spent =
      h.horizon === 'next_7_days'
        ? ''
        : `, ${usd(h.spentUsd)} spent so far${h.spentComplete ? '' : ' (history incomplete)'}`;
    return `${HORIZON_TITLES[h.horizon]} (to ${localTime(h.end - 1, d.timeZone, false)}): ${usd(t.expected)}, ${band} % band ${usd(t.low)} – ${usd(t.high)}${spent}`;
  });
}
