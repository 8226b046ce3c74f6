import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  type CollectorHandle,
  expectedMetrics,
  makeTempDir,
  run,
  type SpanSpec,
  scrapeCollector,
  sendSpans,
  startCollector,
  total,
} from './harness/index.ts';

// The optional auth overlays of the agent and gateway tiers (collector/README.md "Agent and
// gateway tiers"): a gateway with collector/gateway-auth.yaml takes spans over TLS with the bearer
// token only. An agent with collector/agent-auth.yaml and the token gets its spans counted to
// 1e-9 $; one with another token, or in clear text, is refused.
// The certificate is made at test time with openssl (never committed).

const dir = makeTempDir('tiers-auth');
let gateway: CollectorHandle;
const agents: Record<'good' | 'wrongToken' | 'clearText', CollectorHandle> = {} as Record<
  'good' | 'wrongToken' | 'clearText',
  CollectorHandle
>;

beforeAll(async () => {
  const made = await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '1',
      '-subj',
      '/CN=burnrate-gateway',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { cwd: dir },
  ).catch((err: Error) => {
    throw new Error(`the openssl CLI is needed to make the test certificate: ${err.message}`);
  });
  expect(made.code).toBe(0);
  writeFileSync(join(dir, 'token'), 's3cret-token\n');
  writeFileSync(join(dir, 'other-token'), 'not-the-token\n');
  gateway = await startCollector({
    configPaths: [
      'collector/otelcol.yaml',
      'collector/gateway.yaml',
      'collector/gateway-auth.yaml',
    ],
    batchTimeout: '50ms',
    env: {
      BURNRATE_COLLECTOR_INSTANCE: 'gateway-auth',
      BURNRATE_OTLP_TOKEN_FILE: join(dir, 'token'),
      BURNRATE_OTLP_TLS_CERT_FILE: join(dir, 'cert.pem'),
      BURNRATE_OTLP_TLS_KEY_FILE: join(dir, 'key.pem'),
    },
  });
  const agent = (configs: string[], env: Record<string, string>) =>
    startCollector({
      configPaths: configs,
      batchTimeout: '50ms',
      env: { BURNRATE_GATEWAY_ENDPOINT: `dns:///${gateway.otlpGrpcEndpoint}`, ...env },
    });
  const withAuth = ['collector/agent.yaml', 'collector/agent-auth.yaml'];
  agents.good = await agent(withAuth, {
    BURNRATE_OTLP_TOKEN_FILE: join(dir, 'token'),
    BURNRATE_GATEWAY_CA_FILE: join(dir, 'cert.pem'),
  });
  agents.wrongToken = await agent(withAuth, {
    BURNRATE_OTLP_TOKEN_FILE: join(dir, 'other-token'),
    BURNRATE_GATEWAY_CA_FILE: join(dir, 'cert.pem'),
  });
  agents.clearText = await agent(['collector/agent.yaml'], {});
}, 60_000);

afterAll(async () => {
  for (const a of Object.values(agents)) await a?.stop();
  await gateway?.stop();
});

const span = (service: string, cost: number): SpanSpec => ({
  name: 'chat gpt-4o',
  resource: { 'service.name': service, 'deployment.environment.name': 'test' },
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 100,
    'burnrate.cost.usd': cost,
    'burnrate.cost.source': 'usage',
  },
});

const failedSends = async (c: CollectorHandle) =>
  (await scrapeCollector(`http://${c.telemetryTarget}/metrics`))
    .filter((s) => s.name.startsWith('otelcol_exporter_send_failed_spans'))
    .reduce((sum, s) => sum + s.value, 0);

const retrying = (c: CollectorHandle) =>
  /Exporting failed\. Will retry the request after interval/.test(
    readFileSync(c.logFile(), 'utf8'),
  );

test('with the token over TLS the spans are counted to 1e-9 $; a wrong token or clear text is refused', async () => {
  const good = [span('auth-ok', 0.0123), span('auth-ok', 1.5), span('auth-ok', 0.000007)];
  await sendSpans(agents.good.otlpHttpUrl, good);
  await sendSpans(agents.wrongToken.otlpHttpUrl, [span('auth-wrong-token', 5)]);
  await sendSpans(agents.clearText.otlpHttpUrl, [span('auth-clear-text', 7)]);
  const want = total(expectedMetrics(good).burnrate_llm_cost_usd_total);
  const cost = async (service: string) =>
    (await scrapeCollector(gateway.metricsUrl))
      .filter((s) => s.name === 'burnrate_llm_cost_usd_total' && s.labels.service === service)
      .reduce((sum, s) => sum + s.value, 0);
  const deadline = Date.now() + 20_000;
  while (
    (Math.abs((await cost('auth-ok')) - want) > 1e-9 ||
      (await failedSends(agents.wrongToken)) === 0 ||
      !retrying(agents.clearText)) &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 250));
  expect(await cost('auth-ok')).toBeCloseTo(want, 9);
  // Refused: a wrong token is a permanent error (the agent drops the spans and counts them in
  // otelcol_exporter_send_failed_spans, which the pipeline-health alerts watch); clear text fails
  // the connection, retried with the spans kept in the queue. The gateway counted neither.
  expect(await failedSends(agents.wrongToken)).toBeGreaterThan(0);
  expect(retrying(agents.clearText)).toBe(true);
  expect(await failedSends(agents.clearText)).toBe(0);
  expect(await cost('auth-wrong-token')).toBe(0);
  expect(await cost('auth-clear-text')).toBe(0);
  // Every series carries the gateway's collector_instance.
  const series = (await scrapeCollector(gateway.metricsUrl)).filter((s) =>
    s.name.startsWith('burnrate_'),
  );
  expect(series.length).toBeGreaterThan(0);
  for (const s of series) expect(s.labels.collector_instance).toBe('gateway-auth');
}, 60_000);

/** One raw request to the gateway's OTLP/HTTP receiver, as any sender (not an agent) would. */
function post(
  scheme: 'https' | 'http',
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const url = new URL('/v1/traces', gateway.otlpHttpUrl.replace(/^http:/, `${scheme}:`));
  const send = scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(scheme === 'https' ? { ca: readFileSync(join(dir, 'cert.pem')) } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('the receiver: no token or a wrong one 401, clear text refused, a malformed or oversized body refused, nothing counted', async () => {
  const before = (await scrapeCollector(gateway.metricsUrl)).filter((s) =>
    s.name.startsWith('burnrate_llm_cost'),
  );
  const valid = Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw-sender' } }] },
          scopeSpans: [{ spans: [] }],
        },
      ],
    }),
  );
  const token = { authorization: 'Bearer s3cret-token' };
  expect((await post('https', valid, {})).status).toBe(401);
  expect((await post('https', valid, { authorization: 'Bearer not-the-token' })).status).toBe(401);
  // The right token over TLS: accepted.
  expect((await post('https', valid, token)).status).toBe(200);
  // Clear text to the TLS port: the server never answers it as OTLP.
  const clear = await post('http', valid, token).then(
    (r) => r.status,
    (e: Error) => e.message,
  );
  expect(clear).toBe(400);
  // A malformed body with the token: 400, nothing counted.
  const malformed = await post('https', Buffer.from('{"resourceSpans": [ {'), token);
  expect(malformed.status).toBe(400);
  // Larger than the receiver's body limit (confighttp's 20 MiB default): refused, not buffered.
  const huge = Buffer.alloc(21 * 1024 * 1024, 0x20);
  const oversized = await post('https', huge, token).then(
    (r) => r.status,
    (e: Error) => e.message,
  );
  expect(
    oversized === 413 ||
      oversized === 400 ||
      /EPIPE|ECONNRESET|socket hang up/.test(String(oversized)),
  ).toBe(true);
  expect(oversized).not.toBe(200);
  console.info(`gateway receiver: clear text → ${clear}; 21 MiB body → ${oversized}`);
  // Still serving, and no counter moved.
  expect((await post('https', valid, token)).status).toBe(200);
  const after = (await scrapeCollector(gateway.metricsUrl)).filter((s) =>
    s.name.startsWith('burnrate_llm_cost'),
  );
  expect(after.map((s) => [s.labels.service, s.value])).toEqual(
    before.map((s) => [s.labels.service, s.value]),
  );
}, 60_000);
