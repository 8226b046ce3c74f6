// The HTTP surface and hot reload, with Prometheus answered by a tiny stub of its query API.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAlertmanager, startFakeAlertmanager } from '../test-support/fake-servers.ts';
import { BudgetEvaluator } from './evaluator.ts';
import { closeServer, serverPort, startHttpServer } from './http.ts';

const GOOD = `budgets:
  - name: search
    selector: { team: search }
    period: monthly
    limit_usd: 100
    enforcement: { mode: degrade, degrade_at: 0.9 }
    thresholds:
      - { at: 50%, kind: actual, severity: info }
      - { at: 100%, kind: actual, severity: critical }
`;

/**
 * A stub of Prometheus' query API holding one LLM cost counter, team=search, born this period
 * with the value `value()`: each request sees one more sample of it (so a new value is read).
 */
async function stubPrometheus(value: () => number): Promise<{ url: string; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const query = params.get('query') ?? '';
      const range = req.url?.includes('query_range');
      const metric = { team: 'search', __name__: 'burnrate_llm_cost_usd_total' };
      let result: unknown[] = [];
      if (range) result = [{ metric: { team: 'search' }, values: [[0, '0']] }];
      else if (query.startsWith('count by')) result = [{ metric, value: [0, '1'] }];
      else if (/^burnrate_llm_cost_usd_total\[\d+ms\]$/.test(query)) {
        const t = Number(params.get('time')) - 30 + ++n / 1000;
        result = [{ metric, values: [[t, String(value())]] }];
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: range || query.endsWith(']') ? 'matrix' : 'vector', result },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let dir: string;
let file: string;
let am: FakeAlertmanager;
let prom: { url: string; server: Server };
let spend = 60;
const T = Date.parse('2026-11-23T12:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-http-'));
  file = join(dir, 'budgets.yaml');
  writeFileSync(file, GOOD);
  am = await startFakeAlertmanager();
  prom = await stubPrometheus(() => spend);
});

afterEach(async () => {
  await am.stop();
  await new Promise((r) => prom.server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP surface', () => {
  it('serves /healthz, /readyz, /metrics and the status API', async () => {
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      now: () => T,
    });
    const server = await startHttpServer(ev, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${serverPort(server)}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      expect((await fetch(`${base}/api/v1/budgets`)).status).toBe(503);
      await ev.runCycle();
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const res = await fetch(`${base}/api/v1/budgets`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { budgets: unknown[]; dataMissing: boolean };
      expect(doc.dataMissing).toBe(false);
      expect(doc.budgets).toEqual([
        {
          name: 'search',
          description: null,
          selector: {
            matchers: [{ label: 'team', op: '=', value: 'search' }],
            promql: '{team="search"}',
          },
          sources: ['llm', 'vectordb'],
          period: {
            spec: 'monthly',
            timezone: 'UTC',
            start: '2026-11-01T00:00:00.000Z',
            end: '2026-12-01T00:00:00.000Z',
          },
          state: 'warning',
          limitUsd: 100,
          spentUsd: 60,
          forecastUsd: 60,
          forecastLowUsd: 60,
          forecastHighUsd: 60,
          utilization: 0.6,
          forecastUtilization: 0.6,
          thresholds: [
            { ratio: 0.5, kind: 'actual', severity: 'info', firing: true },
            { ratio: 1, kind: 'actual', severity: 'critical', firing: false },
          ],
          enforcement: { mode: 'degrade', degradeAt: 0.9 },
          evaluatedAt: '2026-11-23T12:00:00.000Z',
          stale: false,
        },
      ]);
      const one = (await (await fetch(`${base}/api/v1/budgets/search`)).json()) as {
        state: string;
      };
      expect(one.state).toBe('warning');
      expect((await fetch(`${base}/api/v1/budgets/nope`)).status).toBe(404);
      spend = 130;
      await ev.runCycle();
      const exceeded = (await (await fetch(`${base}/api/v1/budgets/search`)).json()) as {
        state: string;
      };
      expect(exceeded.state).toBe('exceeded');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(
        'burnrate_budget_utilization_ratio{budget="search",team="search"} 1.3',
      );
      expect(metrics).toContain('burnrate_budget_evaluation_duration_seconds_count 2');
      expect(metrics).toContain('burnrate_budget_last_success_timestamp_seconds 1795435200');
      expect((await fetch(`${base}/api/v1/budgets`, { method: 'POST' })).status).toBe(405);
    } finally {
      spend = 60;
      await closeServer(server);
    }
  });
});

describe('hot reload', () => {
  it('applies a good change, keeps the last good config on a bad one and says so', async () => {
    const logs: string[] = [];
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      now: () => T,
      log: (level, msg, fields) => logs.push(`${level} ${msg} ${JSON.stringify(fields)}`),
    });
    expect(ev.reloadIfChanged()).toBe('unchanged');
    writeFileSync(file, GOOD.replace('limit_usd: 100', 'limit_usd: "a lot"'));
    expect(ev.reloadIfChanged()).toBe('rejected');
    expect(ev.budgetConfig.budgets[0].limitUsd).toBe(100);
    expect(ev.status().config.lastReloadError).toBe(
      `${file}:5:5: budgets[0].limit_usd: Invalid input: expected number, received string`,
    );
    expect(logs.at(-1)).toMatch(
      /^error config reload failed; keeping the last good config .*limit_usd/,
    );
    expect(await ev.metrics.registry.metrics()).toContain(
      'burnrate_budget_config_last_reload_successful 0',
    );
    await ev.runCycle(); // still evaluates with the last good config
    expect(ev.status().budgets[0].limitUsd).toBe(100);
    writeFileSync(file, GOOD.replace('limit_usd: 100', 'limit_usd: 200'));
    expect(ev.reloadIfChanged()).toBe('reloaded');
    expect(ev.status().config.lastReloadError).toBeNull();
    await ev.runCycle();
    expect(ev.status().budgets[0].limitUsd).toBe(200);
    expect(ev.status().budgets[0].state).toBe('ok'); // 60 of 200: the 50 % alert resolved
    const last = am.posts.at(-1)!;
    expect(last.alert.labels.threshold).toBe('0.5');
    expect(Date.parse(last.alert.endsAt)).toBeLessThanOrEqual(Date.now()); // resolved
  });

  it('a file deleted then restored byte for byte clears the reload error', async () => {
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      now: () => T,
    });
    rmSync(file);
    expect(ev.reloadIfChanged()).toBe('rejected');
    expect(ev.status().config.lastReloadError).toBe(`${file}:0:0: cannot read the file (ENOENT)`);
    expect(await ev.metrics.registry.metrics()).toContain(
      'burnrate_budget_config_last_reload_successful 0',
    );
    writeFileSync(file, GOOD);
    expect(ev.reloadIfChanged()).toBe('reloaded');
    expect(ev.status().config.lastReloadError).toBeNull();
    expect(await ev.metrics.registry.metrics()).toContain(
      'burnrate_budget_config_last_reload_successful 1',
    );
    expect(ev.reloadIfChanged()).toBe('unchanged');
  });

  it('picks up a changed file by itself once started', async () => {
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      reloadCheckMs: 50,
      intervalSeconds: 3600,
    });
    ev.start();
    try {
      while (!ev.ready) await new Promise((r) => setTimeout(r, 20));
      expect(ev.status().budgets.map((b) => b.name)).toEqual(['search']);
      writeFileSync(
        file,
        `${GOOD}  - { name: second, period: daily, limit_usd: 5, thresholds: [{ at: 1, kind: actual, severity: critical }] }\n`,
      );
      const deadline = Date.now() + 10_000;
      while (ev.status().budgets.length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(ev.status().budgets.map((b) => b.name)).toEqual(['search', 'second']);
    } finally {
      await ev.stop();
    }
  });

  it('posts to every Alertmanager of an HA pair, even when one fails', async () => {
    const am2 = await startFakeAlertmanager();
    try {
      const ev = new BudgetEvaluator({
        configFile: file,
        prometheusUrl: prom.url,
        alertmanagerUrls: [am.url, am2.url],
        now: () => T,
      });
      am.failing = true;
      await ev.runCycle();
      expect(am2.posts.map((p) => p.alert.labels.threshold)).toEqual(['0.5']);
    } finally {
      await am2.stop();
    }
  });

  it('reports Alertmanager failures without failing the cycle', async () => {
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      now: () => T,
    });
    am.failing = true;
    await ev.runCycle();
    expect(ev.status().budgets[0].state).toBe('warning');
    expect(await ev.metrics.registry.metrics()).toContain(
      'burnrate_budget_evaluation_errors_total{reason="alertmanager"} 1',
    );
  });
});
