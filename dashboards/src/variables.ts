// Template variables every Burnrate dashboard carries: data source, environment, team, service,
// endpoint, model, tenant (and budget on the budgets dashboard, agent on the agents dashboard). Each
// narrows the next, like a breadcrumb.
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { m, sel } from './promql.ts';

/** Every panel and variable queries the data source the user picked. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
export const datasource = { type: 'prometheus', uid: '${datasource}' } as const;

/** Attribution labels exist on both the LLM and the vector-database metrics. */
const attributedSeries = `__name__=~"${m.requests}|${m.vectorOps}"`;

type VarSpec = {
  name: string;
  label: string;
  description: string;
  query: string;
};

function queryVariable(spec: VarSpec): QueryVariableBuilder {
  return (
    new QueryVariableBuilder(spec.name)
      .label(spec.label)
      .description(spec.description)
      .datasource(datasource)
      .query(spec.query)
      .definition(spec.query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      // `.*` (not `.+`) so "All" also keeps budget gauges whose selector does not set this label.
      .allValue('.*')
      .current({ selected: true, text: ['All'], value: ['$__all'] })
  );
}

function dataSourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource')
    .label('Data source')
    .description('The Prometheus that scrapes the Burnrate Collector (burnrate_* metrics).')
    .type('prometheus')
    .regex('')
    .current({ selected: true, text: 'default', value: 'default' });
}

const env = 'environment=~"$environment"';
const team = 'team=~"$team"';
const service = 'service=~"$service"';
const endpoint = 'endpoint=~"$endpoint"';

export type VariableOptions = { withBudget?: boolean; withAgent?: boolean };

/** The variables in dashboard order; `budget` / `agent` are added only where asked for. */
export function variables(opts: VariableOptions = {}): QueryVariableBuilder[] {
  const vars: VarSpec[] = [
    {
      name: 'environment',
      label: 'Environment',
      description: 'deployment.environment.name of the calling service',
      query: `label_values({${attributedSeries}}, environment)`,
    },
    {
      name: 'team',
      label: 'Team',
      description: 'Team the calls are attributed to (burnrate.team)',
      query: `label_values({${attributedSeries}, ${env}}, team)`,
    },
    {
      name: 'service',
      label: 'Service',
      description: 'service.name of the calling service',
      query: `label_values({${attributedSeries}, ${env}, ${team}}, service)`,
    },
    {
      name: 'endpoint',
      label: 'Endpoint',
      description: 'Route template or attributed endpoint (burnrate.endpoint); never a raw path',
      query: `label_values({${attributedSeries}, ${env}, ${team}, ${service}}, endpoint)`,
    },
    {
      name: 'model',
      label: 'Model',
      description:
        'Requested LLM model (gen_ai.request.model). Vector-database metrics have no model: it filters only LLM panels.',
      query: `label_values(${m.requests}{${env}, ${team}, ${service}, ${endpoint}}, model)`,
    },
    {
      name: 'tenant',
      label: 'Tenant',
      description:
        'Customer the calls are attributed to (burnrate.tenant; `unassigned` without one, `other` past the cap)',
      query: `label_values({${attributedSeries}, ${env}, ${team}, ${service}, ${endpoint}}, tenant)`,
    },
  ];
  if (opts.withBudget) {
    vars.push({
      name: 'budget',
      label: 'Budget',
      description:
        'Budget name from budgets.yaml (burnrate_budget_* gauges of the budget evaluator); lists the budgets that cover the other filters (a budget without a team selector covers every team)',
      query: `label_values(${sel(m.budgetLimit, 'budgetScope')}, budget)`,
    });
  }
  if (opts.withAgent) {
    vars.push({
      name: 'agent',
      label: 'Agent',
      description:
        'Agent that made the calls (gen_ai.agent.name from the framework or withBudget; `unassigned` outside any agent, `other` past the per-service cap)',
      query: `label_values(${m.requests}{${env}, ${team}, ${service}, ${endpoint}}, agent)`,
    });
  }
  return vars.map(queryVariable);
}

export function allVariables(
  opts: VariableOptions = {},
): Array<QueryVariableBuilder | DatasourceVariableBuilder> {
  return [dataSourceVariable(), ...variables(opts)];
}
