// The bundled dashboards, as data: the generator writes them to dashboards/<file>, tests read them.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { agents } from './agents.ts';
import { budgets } from './budgets.ts';
import { spendOverview } from './spend-overview.ts';
import { unitEconomics } from './unit-economics.ts';
import { vectorDatabases } from './vector-databases.ts';

export { allContractLabels, isContractMetric, labelValues, metrics } from './contract.ts';

export type GeneratedDashboard = { file: string; dashboard: Dashboard };

export function buildAll(): GeneratedDashboard[] {
  return [
    { file: 'spend-overview.json', dashboard: spendOverview() },
    { file: 'budgets.json', dashboard: budgets() },
    { file: 'unit-economics.json', dashboard: unitEconomics() },
    { file: 'vector-databases.json', dashboard: vectorDatabases() },
    { file: 'agents.json', dashboard: agents() },
  ];
}

/** The exact bytes written for a dashboard: 2-space JSON and a final newline. */
export function render(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
