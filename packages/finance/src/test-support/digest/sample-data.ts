// A digest with every section filled, for the rendering and delivery tests.

import type { DigestData } from '../../digest/data.ts';
import { rollingForecast } from '../../forecast/forecast.ts';
import { syntheticDaily, toHourly } from '../../forecast/synthetic.ts';

export const SAMPLE_NOW = Date.UTC(2026, 2, 30, 7); // Mon 2026-03-30 09:00 Europe/Berlin

export function sampleDigest(): DigestData {
  const start = SAMPLE_NOW - 70 * 86_400_000;
  const history = toHourly(syntheticDaily('weekly', { start, days: 70 }), start);
  return {
    generatedAt: SAMPLE_NOW,
    timeZone: 'Europe/Berlin',
    week: { start: SAMPLE_NOW - 7 * 86_400_000, end: SAMPLE_NOW },
    totals: { thisWeekUsd: 1234.5, lastWeekUsd: 1000 },
    movers: {
      team: [
        { key: 'search', thisWeekUsd: 210, lastWeekUsd: 70, deltaUsd: 140, deltaRatio: 2 },
        { key: 'ads', thisWeekUsd: 0, lastWeekUsd: 35, deltaUsd: -35, deltaRatio: -1 },
      ],
      model: [{ key: 'gpt-4o', thisWeekUsd: 210, lastWeekUsd: 70, deltaUsd: 140, deltaRatio: 2 }],
      agent: [
        { key: 'R&D <planner>', thisWeekUsd: 5, lastWeekUsd: 0, deltaUsd: 5, deltaRatio: null },
      ],
    },
    alerts: [
      {
        alertname: 'BurnrateBudgetThreshold',
        labels: { budget: 'search-monthly', kind: 'forecast', severity: 'warning' },
        firstSeen: SAMPLE_NOW - 3 * 86_400_000,
        lastSeen: SAMPLE_NOW,
        firingMinutes: 4320,
        stillFiring: true,
      },
    ],
    jumps: [{ team: 'search', day: SAMPLE_NOW - 86_400_000, usd: 30, baselineUsd: 10, ratio: 3 }],
    budgets: {
      atRisk: [
        {
          budget: 'search-monthly',
          limitUsd: 500,
          spendUsd: 420,
          forecastUsd: 700,
          utilization: 0.84,
          forecastRatio: 1.4,
          reasons: ['utilization', 'forecast'],
        },
      ],
      evaluated: 2,
    },
    forecast: rollingForecast(history, { now: SAMPLE_NOW, timeZone: 'Europe/Berlin' }),
    dashboardUrl: 'https://grafana.example.com/d/burnrate',
    problems: [],
  };
}
