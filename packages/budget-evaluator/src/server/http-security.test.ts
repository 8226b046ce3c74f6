// The HTTP surface's security: tokens, roles, Host check, malformed input, limits, no leaks.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAlertmanager, startFakeAlertmanager } from '../test-support/fake-servers.ts';
import { call } from '../test-support/https-client.ts';
import { type StubPrometheus, startStubPrometheus } from '../test-support/stub-prometheus.ts';
import { BudgetEvaluator } from './evaluator.ts';
import { type EvaluatorServer, startEvaluatorServer } from './http.ts';

const BUDGETS = `budgets:
  - name: search
    selector: { team: search }
    period: monthly
    limit_usd: 100
    enforcement: { mode: block }
    thresholds: [{ at: 50%, kind: actual, severity: info }]
`;
const READ_TOKEN = 'read-0123456789abcdef';
const ADMIN_TOKEN = 'admin-0123456789abcdef';
const NEXT_TOKEN = 'read-rotated-fedcba9876543210';
const metric = { team: 'search', __name__: 'burnrate_llm_cost_usd_total' };

let dir: string;
let am: FakeAlertmanager;
let prom: StubPrometheus;
const logs: string[] = [];
const log = (level: string, msg: string, fields?: Record<string, unknown>) =>
  logs.push(JSON.stringify({ level, msg, ...fields }));

async function serve(
  prometheusUrl: string,
  access: { readTokenFile?: string; adminTokenFile?: string } = {},
  host = '127.0.0.1',
): Promise<{ ev: BudgetEvaluator; http: EvaluatorServer; base: string }> {
  const ev = new BudgetEvaluator({
    configFile: join(dir, 'budgets.yaml'),
    prometheusUrl,
    alertmanagerUrls: [am.url],
    now: () => Date.parse('2026-11-23T12:00:00Z'),
    log,
  });
  const http = await startEvaluatorServer(ev, 0, host, {
    access,
    allowedHosts: ['evaluator.internal'],
    log,
  });
  return { ev, http, base: `http://127.0.0.1:${http.port}` };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-sec-'));
  writeFileSync(join(dir, 'budgets.yaml'), BUDGETS);
  writeFileSync(join(dir, 'read.tokens'), `# dashboards\n${READ_TOKEN}\n\n`);
  writeFileSync(join(dir, 'admin.tokens'), `${ADMIN_TOKEN}\n`);
  am = await startFakeAlertmanager();
  prom = await startStubPrometheus((kind, params) => {
    if (kind === 'query_range') return [{ metric: { team: 'search' }, values: [[0, '0']] }];
    if (kind !== 'query') return [];
    if (params.query.startsWith('count by')) return [{ metric, value: [0, '1'] }];
    if (/^burnrate_llm_cost_usd_total\[\d+ms\]$/.test(params.query)) {
      return [{ metric, values: [[Number(params.time) - 1, '60']] }];
    }
    return [];
  });
});

afterAll(async () => {
  await am.stop();
  await prom.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('with token files', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  const files = () => ({
    readTokenFile: join(dir, 'read.tokens'),
    adminTokenFile: join(dir, 'admin.tokens'),
  });
  beforeAll(async () => {
    s = await serve(prom.url, files());
    await s.ev.runCycle();
  });
  afterAll(async () => {
    await s.http.close();
    await s.ev.stop();
  });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('answers 401 without a token or with a wrong one, and never echoes it', async () => {
    for (const headers of [{}, bearer('wrong-token-0123456789'), { authorization: 'Basic eDp5' }]) {
      const res = await call(`${s.base}/api/v1/budgets`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="burnrate-evaluator"');
      expect(res.body).not.toContain('wrong-token');
      expect(JSON.parse(res.body).requestId).toBe(res.headers['x-request-id']);
    }
    expect((await call(`${s.base}/metrics`)).status).toBe(401);
    // Liveness and readiness stay open (probes carry no token).
    expect((await call(`${s.base}/healthz`)).status).toBe(200);
    expect((await call(`${s.base}/readyz`)).status).toBe(200);
  });

  it('lets a read token read, not administer; an admin token does both', async () => {
    const read = await call(`${s.base}/api/v1/budgets`, { headers: bearer(READ_TOKEN) });
    expect(read.status).toBe(200);
    const doc = JSON.parse(read.body);
    // What the SDK's gate needs is there: selector, limit, spend, state, enforcement.
    expect(doc.budgets[0]).toMatchObject({
      name: 'search',
      selector: { matchers: [{ label: 'team', op: '=', value: 'search' }] },
      state: 'warning',
      limitUsd: 100,
      spentUsd: 60,
      enforcement: { mode: 'block' },
    });
    expect((await call(`${s.base}/metrics`, { headers: bearer(READ_TOKEN) })).status).toBe(200);
    const asReader = await call(`${s.base}/api/v1/reload`, {
      method: 'POST',
      headers: bearer(READ_TOKEN),
    });
    expect(asReader.status).toBe(403);
    expect(
      (await call(`${s.base}/api/v1/admin/status`, { headers: bearer(READ_TOKEN) })).status,
    ).toBe(403);
    const admin = await call(`${s.base}/api/v1/admin/status`, { headers: bearer(ADMIN_TOKEN) });
    expect(JSON.parse(admin.body).config.file).toBe(join(dir, 'budgets.yaml'));
    expect((await call(`${s.base}/api/v1/budgets`, { headers: bearer(ADMIN_TOKEN) })).status).toBe(
      200,
    );
    const reload = await call(`${s.base}/api/v1/reload`, {
      method: 'POST',
      headers: bearer(ADMIN_TOKEN),
    });
    expect(JSON.parse(reload.body)).toEqual({
      ok: true,
      config: 'unchanged',
      tokens: 'reloaded',
      tls: 'not configured',
      prometheus: 'reloaded',
    });
  });

  it('rotates tokens on reload: the new one works, the removed one stops', async () => {
    writeFileSync(join(dir, 'read.tokens'), `${NEXT_TOKEN}\n`);
    expect((await call(`${s.base}/metrics`, { headers: bearer(NEXT_TOKEN) })).status).toBe(401);
    expect(s.http.reload().tokens).toBe('reloaded');
    expect((await call(`${s.base}/metrics`, { headers: bearer(NEXT_TOKEN) })).status).toBe(200);
    expect((await call(`${s.base}/metrics`, { headers: bearer(READ_TOKEN) })).status).toBe(401);
    // A bad file keeps the tokens in use, and the log names file and line.
    writeFileSync(join(dir, 'read.tokens'), `${NEXT_TOKEN}\nshort\n`);
    expect(s.http.reload()).toMatchObject({ ok: false, tokens: 'rejected' });
    expect(logs.join('\n')).toContain(`read.tokens:2: a token must be at least 16 characters`);
    expect((await call(`${s.base}/metrics`, { headers: bearer(NEXT_TOKEN) })).status).toBe(200);
    writeFileSync(join(dir, 'read.tokens'), `${READ_TOKEN}\n`);
    s.http.reload();
  });

  it('checks the body of admin requests: size, media type, JSON', async () => {
    const post = (body: string, type = 'application/json') =>
      call(`${s.base}/api/v1/reload`, {
        method: 'POST',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': type },
        body,
      });
    expect((await post('{"reason":"rotate"}')).status).toBe(200);
    const big = await post(JSON.stringify({ pad: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toBe('request body too large (at most 16384 bytes)');
    expect((await post('{"unterminated"')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('reason=x', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('logs refusals without any token or Authorization header', () => {
    expect(logs.some((l) => l.includes('"status":401'))).toBe(true);
    const all = logs.join('\n');
    for (const secret of [READ_TOKEN, ADMIN_TOKEN, NEXT_TOKEN, 'wrong-token', 'eDp5']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('without auth (the loopback default)', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Prometheus down, with credentials in its URL: none of it may reach an answer.
    s = await serve('http://scraper:pa55word@127.0.0.1:9');
    await s.ev.runCycle();
  });
  afterAll(async () => {
    await s.http.close();
    await s.ev.stop();
  });

  it('reads are open, admin endpoints are off', async () => {
    expect((await call(`${s.base}/metrics`)).status).toBe(200);
    const reload = await call(`${s.base}/api/v1/reload`, { method: 'POST' });
    expect(reload.status).toBe(403);
    expect(JSON.parse(reload.body).error).toContain('--admin-token-file');
  });

  it('shows no config path, Prometheus URL, credentials or error text', async () => {
    const res = await call(`${s.base}/api/v1/budgets`);
    expect(res.status).toBe(503);
    const doc = JSON.parse(res.body);
    expect(doc).toMatchObject({
      dataMissing: true,
      dataMissingCode: 'prometheus_unreachable',
      dataMissingReason: 'Prometheus is unreachable (details in the evaluator log)',
    });
    for (const leak of [
      dir,
      'budgets.yaml',
      '127.0.0.1:9',
      'ECONNREFUSED',
      'pa55word',
      'scraper',
    ]) {
      expect(res.body).not.toContain(leak);
    }
    // The log has the detail, without the password.
    const all = logs.join('\n');
    expect(all).toContain('Prometheus at http://127.0.0.1:9 unreachable: ECONNREFUSED');
    expect(all).not.toContain('pa55word');
  });

  it('refuses unknown Host names (DNS rebinding) and cross-origin requests', async () => {
    const evil = await call(`${s.base}/api/v1/budgets`, { headers: { host: 'evil.example:9464' } });
    expect(evil.status).toBe(421);
    for (const host of [
      'localhost:9464',
      '127.0.0.1',
      '[::1]:9464',
      '10.1.2.3:9464',
      'Evaluator.Internal',
    ]) {
      expect((await call(`${s.base}/healthz`, { headers: { host } })).status).toBe(200);
    }
    const cors = await call(`${s.base}/metrics`, { headers: { origin: 'https://evil.example' } });
    expect(cors.status).toBe(403);
  });

  it('answers malformed input with 4xx, never exception text', async () => {
    const bad = await call(`${s.base}/api/v1/budgets/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      error: 'bad request: malformed percent-encoding in the path',
      requestId: bad.headers['x-request-id'],
    });
    expect(bad.body).not.toMatch(/URIError|at decodeURIComponent|\.ts:/);
    const put = await call(`${s.base}/api/v1/budgets`, { method: 'PUT', body: '{}' });
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect((await call(`${s.base}/api/v1/reload`, { method: 'GET' })).status).toBe(405);
    const big = await call(`${s.base}/healthz`, { method: 'GET', body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    const unknown = await call(`${s.base}/api/v1/budgets/no-such-budget`);
    expect(unknown.status).toBe(404);
    // Headers beyond 16 KiB: Node's parser answers 431 before any handler runs.
    const huge = await call(`${s.base}/healthz`, { headers: { 'x-pad': 'y'.repeat(20_000) } });
    expect(huge.status).toBe(431);
  });
});

describe('limits and failures', () => {
  it('bounds slow requests, and answers an internal failure without its text', async () => {
    const s = await serve(prom.url);
    try {
      // A client that trickles its headers or body is cut off (Node answers 408).
      expect(s.http.server.headersTimeout).toBe(10_000);
      expect(s.http.server.requestTimeout).toBe(30_000);
      s.ev.metrics.registry.metrics = () =>
        Promise.reject(new Error(`cannot read ${dir}/budgets.yaml at /srv/secret`));
      const res = await call(`${s.base}/metrics`);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({
        error: 'internal error',
        requestId: res.headers['x-request-id'],
      });
      // The detail is in the log, under the same request id.
      const line = logs.find((l) => l.includes(String(res.headers['x-request-id'])));
      expect(line).toContain('"msg":"request failed"');
      expect(line).toContain('/srv/secret');
    } finally {
      await s.http.close();
      await s.ev.stop();
    }
  });
});

it('warns when listening beyond loopback without auth', async () => {
  const s = await serve(prom.url, {}, '0.0.0.0');
  try {
    expect(logs.join('\n')).toContain('listening beyond loopback without authentication');
  } finally {
    await s.http.close();
    await s.ev.stop();
  }
});
