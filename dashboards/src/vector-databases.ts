// Vector databases: operations and cost by database, operation and endpoint, and the retrieval
// side of RAG (vector-database spend) beside the embedding calls that feed it.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import { increase, m, perHour, rate, ratio, sel, topk, vectorCost, vectorOps } from './promql.ts';

const usd = 'currencyUSD';
const embeddingCost = sel(m.cost, 'llm', 'operation="embeddings"');
const classNote =
  'Collections are not a label (their names are unbounded): the collection class here is the database (db_system) and the operation, by endpoint.';
const topEndpoints = topk(10, increase(vectorCost, ['endpoint']));
const modelNote =
  'The model variable does not filter vector-database metrics (they have no model).';

export function vectorDatabases(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-vector-databases',
    title: 'Burnrate / Vector databases',
    description:
      'Vector-database operations and their cost by database, operation and endpoint, and retrieval spend beside embedding spend.',
    from: 'now-7d',
    sections: [
      {
        row: 'At a glance',
        panels: [
          statPanel({
            title: 'Vector-database spend in range',
            description: `Spend on vector-database operations (burnrate_vectordb_cost_usd_total) over the range, from provider-reported read/write units where the database is priced. ${modelNote}`,
            unit: usd,
            decimals: 2,
            w: 6,
            queries: [{ expr: increase(vectorCost) }],
          }),
          statPanel({
            title: 'Embedding spend in range',
            description:
              'LLM spend on embedding calls (operation="embeddings") over the range: the other half of retrieval-augmented generation.',
            unit: usd,
            decimals: 2,
            w: 6,
            queries: [{ expr: increase(embeddingCost) }],
          }),
          statPanel({
            title: 'Vector-database operations in range',
            description: `Operations (queries, upserts, deletes, …) against vector databases over the range. ${modelNote}`,
            unit: 'short',
            decimals: 0,
            w: 6,
            queries: [{ expr: `round(${increase(vectorOps)})` }],
          }),
          statPanel({
            title: 'Operations per second',
            description: `Vector-database operations per second now, with the trend over the range. ${modelNote}`,
            unit: 'ops',
            w: 6,
            graph: true,
            queries: [{ expr: rate(vectorOps), legend: 'operations' }],
          }),
        ],
      },
      {
        row: 'By database and operation',
        panels: [
          timeseriesPanel({
            title: 'Operations by database and operation',
            description: `Operations per second by db_system and operation. ${classNote}`,
            unit: 'ops',
            stack: true,
            w: 12,
            queries: [
              {
                expr: rate(vectorOps, ['db_system', 'operation']),
                legend: '{{db_system}} {{operation}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Spend rate by database ($/hour)',
            description: `Vector-database spend per hour by db_system. Self-hosted databases without a price report no cost. ${classNote}`,
            unit: usd,
            axisLabel: '$ per hour',
            stack: true,
            w: 12,
            queries: [{ expr: perHour(vectorCost, ['db_system']), legend: '{{db_system}}' }],
          }),
          tablePanel({
            title: 'Database and operation in range',
            description: `Per db_system and operation over the range: operations, spend and cost per 1,000 operations. ${classNote}`,
            w: 24,
            queries: [
              { expr: increase(vectorOps, ['db_system', 'operation']) },
              { expr: increase(vectorCost, ['db_system', 'operation']) },
              {
                expr: `${ratio(increase(vectorCost, ['db_system', 'operation']), increase(vectorOps, ['db_system', 'operation']))} * 1000`,
              },
            ],
            columns: [
              { refId: 'A', name: 'Operations', unit: 'short', decimals: 0 },
              { refId: 'B', name: 'Spend', unit: usd },
              { refId: 'C', name: 'Cost per 1,000 operations', unit: usd },
            ],
            sortBy: 'Spend',
          }),
        ],
      },
      {
        row: 'By endpoint: retrieval beside embedding',
        panels: [
          timeseriesPanel({
            title: 'Retrieval and embedding spend rate ($/hour)',
            description:
              'Vector-database spend (retrieval: every vector operation, reads and writes) beside LLM embedding spend, per hour. The model variable filters only the embedding line.',
            unit: usd,
            axisLabel: '$ per hour',
            w: 12,
            queries: [
              { expr: perHour(vectorCost), legend: 'vector database' },
              { expr: perHour(embeddingCost), legend: 'embeddings' },
            ],
          }),
          tablePanel({
            title: 'Top 10 endpoints: retrieval and embedding spend',
            description: `Per endpoint over the range: vector-database spend, embedding spend and vector operations, top 10 by vector-database spend (at most 10 rows; decimals follow the value). ${classNote}`,
            w: 12,
            queries: [
              { expr: topEndpoints },
              {
                expr: `${increase(embeddingCost, ['endpoint'])} and on (endpoint) ${topEndpoints}`,
              },
              { expr: `${increase(vectorOps, ['endpoint'])} and on (endpoint) ${topEndpoints}` },
            ],
            columns: [
              { refId: 'A', name: 'Vector-database spend', unit: usd },
              { refId: 'B', name: 'Embedding spend', unit: usd },
              { refId: 'C', name: 'Operations', unit: 'short', decimals: 0 },
            ],
            sortBy: 'Vector-database spend',
            limit: 10,
          }),
          timeseriesPanel({
            title: 'Operations by endpoint',
            description: `Vector-database operations per second by endpoint (route template, never a raw path). ${classNote}`,
            unit: 'ops',
            stack: true,
            w: 24,
            queries: [{ expr: rate(vectorOps, ['endpoint']), legend: '{{endpoint}}' }],
          }),
        ],
      },
    ],
  });
}
