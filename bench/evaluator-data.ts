// Data for the budget-evaluator scale bench (bench/evaluator-scale.ts): 100,000 cost series as
// the Collector exports them, served over HTTP for Prometheus to scrape, and 10,000 budgets with
// the selectors a large company writes (tenants, teams, services, endpoints, models, providers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const ENVS = ['production', 'staging', 'development'];
const MODELS: [string, string][] = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4.1-mini'],
  ['openai', 'text-embedding-3-small'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['google', 'gemini-2.5-flash'],
  ['mistral', 'mistral-large-latest'],
];
const AGENTS = ['unassigned', 'planner', 'researcher', 'writer', 'coder'];
const DBS = ['pinecone', 'qdrant', 'pgvector'];
export const TENANTS = 2000;
const SERVICES = 50;
const TEAMS = 25;
const pad = (n: number) => String(n).padStart(2, '0');

/** The labels of the i-th series: 90,000 LLM series (45 services × 2,000 tenants), then 10,000 vector-DB. */
function labelsOf(i: number, llmSeries: number): string {
  const tenant = i % TENANTS;
  const svc = Math.floor(i / TENANTS) % SERVICES;
  const common = `service="svc-${pad(svc)}",environment="${ENVS[(i >> 3) % 3]}",team="team-${pad(svc % TEAMS)}",endpoint="POST /v1/e${(i * 11) % 10}",tenant="t${tenant}",agent="${AGENTS[(i * 3) % 5]}"`;
  if (i < llmSeries) {
    const [provider, model] = MODELS[(i * 7 + svc) % 8];
    const op = model.startsWith('text-embedding') ? 'embeddings' : 'chat';
    return `${common},provider="${provider}",model="${model}",operation="${op}"`;
  }
  return `${common},db_system="${DBS[i % 3]}",operation="${i % 4 === 0 ? 'upsert' : 'query'}"`;
}

export type SeriesServer = { target: string; series: number; stop(): Promise<void> };

/**
 * Serves `total` counters (90 % burnrate_llm_cost_usd_total, 10 % vector-DB) that grow with
 * time, each at its own rate (so forecasts differ per budget).
 */
export async function startSeriesServer(total: number): Promise<SeriesServer> {
  const llm = Math.round(total * 0.9);
  const prefix = Array.from({ length: total }, (_, i) => {
    const metric = i < llm ? 'burnrate_llm_cost_usd_total' : 'burnrate_vectordb_cost_usd_total';
    return `${metric}{${labelsOf(i, llm)}} `;
  });
  const rate = Array.from({ length: total }, (_, i) => ((i * 7919) % 1000) / 1e6); // $/s
  const t0 = Date.now();
  const server: Server = createServer((_req, res) => {
    const t = (Date.now() - t0) / 1000;
    const parts = [
      '# TYPE burnrate_llm_cost_usd_total counter',
      '# TYPE burnrate_vectordb_cost_usd_total counter',
    ];
    for (let i = 0; i < total; i++) parts.push(prefix[i] + (1 + rate[i] * (600 + t)).toFixed(6));
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${parts.join('\n')}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    series: total,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** 10,000 budgets (by default) in a mix of selectors, periods and sources. */
export function budgetsYaml(n: number): string {
  const out = [
    'defaults:',
    '  timezone: UTC',
    '  sources: [llm, vectordb]',
    '  thresholds:',
    '    - { at: 50%, kind: actual, severity: info }',
    '    - { at: 80%, kind: forecast, severity: warning }',
    '    - { at: 100%, kind: actual, severity: critical }',
    'budgets:',
  ];
  const svc = (i: number) => `svc-${pad(i % 45)}`;
  const team = (i: number) => `team-${pad(i % TEAMS)}`;
  for (let i = 0; i < n; i++) {
    const k = i % 20;
    let b: string;
    if (k < 5) b = `selector: { tenant: t${i % TENANTS} }, period: monthly`;
    else if (k < 7)
      b = `selector: { tenant: t${i % TENANTS}, model: ${MODELS[i % 8][1]} }, period: daily, timezone: Europe/Berlin`;
    else if (k < 8)
      b = `selector: { tenant: t${i % TENANTS}, provider: ${MODELS[i % 8][0]} }, period: rolling-24h`;
    else if (k < 10)
      b = `selector: { service: ${svc(i)}, endpoint: 'POST /v1/e${i % 10}' }, period: monthly`;
    else if (k < 11)
      b = `selector: { service: ${svc(i)}, environment: ${ENVS[i % 3]} }, period: daily`;
    else if (k < 13)
      b = `selector: { team: ${team(i)}, environment: ${ENVS[i % 3]} }, period: weekly, timezone: America/New_York`;
    else if (k < 14)
      b = `selector: { team: ${team(i)}, model: { regex: '${MODELS[i % 8][1].slice(0, 4)}.*' } }, period: rolling-7d, sources: [llm]`;
    else if (k < 15)
      b = `selector: { team: ${team(i)}, environment: { not_equals: production } }, period: quarterly`;
    else if (k < 17)
      b = `selector: { service: ${svc(i)}, tenant: t${i % TENANTS} }, period: monthly`;
    else if (k < 18)
      b = `selector: { service: svc-${45 + (i % 5)}, db_system: ${DBS[i % 3]} }, period: monthly, sources: [vectordb]`;
    else if (k < 19)
      b = `selector: { tenant: { regex: 't${i % 200}[0-9]*' }, environment: production }, period: monthly`;
    else b = `selector: { team: ${team(i)} }, period: rolling-1h`;
    out.push(`  - { name: budget-${i}, ${b}, limit_usd: ${5 + (i % 500)} }`);
  }
  return `${out.join('\n')}\n`;
}
