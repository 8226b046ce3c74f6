import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBudget {
  name: string;
  matchers: { label: string; op: string; value: string }[];
  state?: 'ok' | 'warning' | 'exceeded' | 'waiting' | 'invalid_data';
  limitUsd?: number;
  spentUsd?: number;
  enforcement?: { mode: string; degradeAt: number | null };
  sources?: string[];
}

/** One budget as the evaluator's GET /api/v1/budgets lists it (packages/budget-evaluator status.ts). */
export function budgetJson(b: FakeBudget) {
  const limitUsd = b.limitUsd ?? 100;
  // The evaluator sends null spend figures for a budget whose spend is unknown.
  const unknown = b.state === 'invalid_data' || b.state === 'waiting';
  const spentUsd = unknown ? null : (b.spentUsd ?? 0);
  const ratio = spentUsd === null ? null : spentUsd / limitUsd;
  return {
    name: b.name,
    description: null,
    selector: { matchers: b.matchers, promql: '' },
    sources: b.sources ?? ['llm', 'vectordb'],
    period: {
      spec: 'daily',
      timezone: 'UTC',
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-01-02T00:00:00.000Z',
    },
    state: b.state ?? 'ok',
    limitUsd,
    spentUsd,
    forecastUsd: spentUsd,
    forecastLowUsd: spentUsd,
    forecastHighUsd: spentUsd,
    utilization: ratio,
    forecastUtilization: ratio,
    thresholds: [],
    enforcement: b.enforcement ?? { mode: 'record', degradeAt: null },
    evaluatedAt: new Date().toISOString(),
    stale: false,
  };
}

/** A stand-in evaluator on a free loopback port that serves whatever budgets the test sets. */
export async function startFakeEvaluator() {
  let budgets: FakeBudget[] = [];
  let status = 200;
  let hits = 0;
  let token: string | undefined;
  const server: Server = createServer((req, res) => {
    hits++;
    // Like the evaluator with a read token configured: 401 without the right bearer token.
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (req.url !== '/api/v1/budgets') {
      res.writeHead(404).end();
      return;
    }
    const doc =
      status === 200
        ? { lastSuccessAt: new Date().toISOString(), budgets: budgets.map(budgetJson) }
        : { error: 'no successful evaluation yet' };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(list: FakeBudget[]) {
      budgets = list;
    },
    setStatus(code: number) {
      status = code;
    },
    /** From now on, answer only requests with this bearer token (undefined: open again). */
    requireToken(value: string | undefined) {
      token = value;
    },
    get hits() {
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
