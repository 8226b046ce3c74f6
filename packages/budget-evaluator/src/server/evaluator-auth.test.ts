// The evaluator when Prometheus (or Mimir in front of it) refuses its credentials: data missing
// with the bounded code and metric reason of any Prometheus error, a message that says to check
// the credentials, and the secret nowhere.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAlertmanager, startFakeAlertmanager } from '../test-support/fake-servers.ts';
import { BudgetEvaluator } from './evaluator.ts';
import { publicStatus } from './public-status.ts';

const CONFIG = `budgets:
  - name: search-daily
    selector: { team: search }
    period: daily
    limit_usd: 10
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`;
const SECRET = 'wrong-token-5ecr3t';

let dir: string;
let am: FakeAlertmanager;
let prom: Server;
let url: string;
let status = 401;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-eval-auth-'));
  writeFileSync(join(dir, 'budgets.yaml'), CONFIG);
  writeFileSync(join(dir, 'token'), `${SECRET}\n`);
  am = await startFakeAlertmanager();
  prom = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"status":"error","errorType":"unauthorized","error":"authentication required"}');
    });
  });
  await new Promise<void>((r) => prom.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(prom.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await am.stop();
  prom.closeAllConnections();
  await new Promise((r) => prom.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('refused credentials (HTTP 401/403)', () => {
  it.each([401, 403])('HTTP %i: data missing as a Prometheus error, no secret shown', async (s) => {
    status = s;
    const logs: string[] = [];
    const ev = new BudgetEvaluator({
      configFile: join(dir, 'budgets.yaml'),
      prometheusUrl: url,
      prometheusConnection: { bearerTokenFile: join(dir, 'token') },
      alertmanagerUrls: [am.url],
      log: (level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })),
    });
    await ev.runCycle();
    const doc = ev.status();
    expect(doc).toMatchObject({ dataMissing: true, dataMissingCode: 'prometheus_error' });
    expect(doc.dataMissingReason).toBe(
      `Prometheus at ${url} refused the request (HTTP ${s}): check the credentials`,
    );
    expect(publicStatus(doc).dataMissingReason).toBe(
      'the Prometheus query failed (details in the evaluator log)',
    );
    const metrics = await ev.metrics.registry.metrics();
    expect(metrics).toContain(
      'burnrate_budget_evaluation_errors_total{reason="prometheus_error"} 1',
    );
    // The reason label keeps its fixed values: no new one for refused credentials.
    const reasons = [...metrics.matchAll(/evaluation_errors_total\{reason="(\w+)"\}/g)].map(
      (m) => m[1],
    );
    expect(reasons.sort()).toEqual([
      'alertmanager',
      'config_reload',
      'cost_data_invalid',
      'cost_series_missing',
      'deadline',
      'prometheus_error',
      'prometheus_unreachable',
    ]);
    const alerts = JSON.stringify(am.posts);
    expect(alerts).toContain('check the credentials');
    for (const text of [JSON.stringify(doc), logs.join('\n'), alerts, metrics]) {
      expect(text).not.toContain(SECRET);
    }
    await ev.stop();
  });
});
