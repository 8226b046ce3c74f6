// Remote write to a store behind tenant, auth and mutual TLS (collector/remote-write.yaml), as
// Mimir, Cortex or Thanos receive behind a gateway run it: a local HTTPS endpoint (certificates
// made at test time with openssl in a temp dir) checks the X-Scope-OrgID tenant, basic or bearer
// credentials and the client certificate, then hands the remote-write body to VictoriaMetrics.
// The right settings get every dollar through; a wrong password or token is refused (401) and
// counted in the Collector's own otelcol_exporter_send_failed_metric_points; plain HTTP or no
// client certificate never gets through (test/remote-write-gateway.ts). Also measures remote-write
// bytes per sample.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedMetrics,
  generateTraffic,
  makeTempDir,
  removeTempDir,
  sendSpans,
  total,
} from './harness/index.ts';
import {
  type RemoteWriteCollector,
  scrapeSum,
  startRemoteWriteCollector,
} from './harness/remote-write.ts';
import { startVictoriaMetrics, type VictoriaMetricsHandle } from './harness/victoriametrics.ts';
import {
  type Gateway,
  makeCertificates,
  PASSWORD,
  startGateway,
  TENANT,
  TOKEN,
  USER,
} from './remote-write-gateway.ts';

const COST = 'burnrate_llm_cost_usd_total';

type Case = {
  instance: string;
  env: Record<string, string>;
  /** Every dollar arrives (true) or none does. */
  arrives: boolean;
};

let dir = '';
let vm: VictoriaMetricsHandle | undefined;
let gateway: Gateway | undefined;
const collectors = new Map<string, RemoteWriteCollector>();
let started: Case[] = [];
const spans = generateTraffic(300, 17);
const dollars = total(expectedMetrics(spans)[COST]);

function cases(): Case[] {
  if (!gateway) throw new Error('no gateway');
  const secret = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const tls = {
    BURNRATE_REMOTE_WRITE_URL: gateway.url,
    BURNRATE_REMOTE_WRITE_TENANT: TENANT,
    BURNRATE_REMOTE_WRITE_CA_FILE: join(dir, 'ca.crt'),
    BURNRATE_REMOTE_WRITE_CERT_FILE: join(dir, 'client.crt'),
    BURNRATE_REMOTE_WRITE_KEY_FILE: join(dir, 'client.key'),
    // Network failures are retried within the timeout (30 s by default): 3 s here.
    BURNRATE_REMOTE_WRITE_TIMEOUT: '3s',
  };
  const basic = (password: string) => ({
    BURNRATE_REMOTE_WRITE_AUTH: 'basicauth/remote_write',
    BURNRATE_REMOTE_WRITE_USERNAME: USER,
    BURNRATE_REMOTE_WRITE_PASSWORD_FILE: secret(`password-${password.length}`, `${password}\n`),
  });
  const bearer = (token: string) => ({
    BURNRATE_REMOTE_WRITE_AUTH: 'bearertokenauth/remote_write',
    BURNRATE_REMOTE_WRITE_TOKEN_FILE: secret(`token-${token}`, `${token}\n`),
  });
  const http = gateway.url.replace('https://', 'http://');
  return [
    { instance: 'basic', env: { ...tls, ...basic(PASSWORD) }, arrives: true },
    { instance: 'bearer', env: { ...tls, ...bearer(TOKEN) }, arrives: true },
    { instance: 'wrong-password', env: { ...tls, ...basic('hunter2') }, arrives: false },
    { instance: 'wrong-token', env: { ...tls, ...bearer('rw-token-0000') }, arrives: false },
    {
      instance: 'wrong-tenant',
      env: { ...tls, ...basic(PASSWORD), BURNRATE_REMOTE_WRITE_TENANT: 'someone-else' },
      arrives: false,
    },
    {
      instance: 'no-client-cert',
      env: {
        ...tls,
        ...basic(PASSWORD),
        BURNRATE_REMOTE_WRITE_CERT_FILE: '',
        BURNRATE_REMOTE_WRITE_KEY_FILE: '',
      },
      arrives: false,
    },
    {
      instance: 'plain-http',
      env: { ...tls, ...basic(PASSWORD), BURNRATE_REMOTE_WRITE_URL: http },
      arrives: false,
    },
  ];
}

const failed = (c: RemoteWriteCollector): Promise<number> =>
  scrapeSum(c.telemetryUrl, 'otelcol_exporter_send_failed_metric_points', {
    exporter: 'prometheus_remote_write',
  });
const sent = (c: RemoteWriteCollector): Promise<number> =>
  scrapeSum(c.telemetryUrl, 'otelcol_exporter_sent_metric_points', {
    exporter: 'prometheus_remote_write',
  });

beforeAll(async () => {
  dir = makeTempDir('rw-tls');
  await makeCertificates(dir);
  vm = await startVictoriaMetrics();
  gateway = await startGateway(dir, vm.writeUrl);
  started = cases();
  for (const c of started) {
    collectors.set(
      c.instance,
      await startRemoteWriteCollector({ ...c.env, BURNRATE_COLLECTOR_INSTANCE: c.instance }),
    );
  }
  await Promise.all([...collectors.values()].map((c) => sendSpans(c.otlpHttpUrl, spans)));
});

afterAll(async () => {
  for (const c of collectors.values()) await c.stop();
  await gateway?.close();
  await vm?.stop();
  if (dir) removeTempDir(dir); // the test CA's and client's keys
});

const instance = (name: string): RemoteWriteCollector => {
  const c = collectors.get(name);
  if (!c) throw new Error(`no collector ${name}`);
  return c;
};

/** Dollars per collector_instance in VictoriaMetrics. */
async function stored(): Promise<Record<string, number>> {
  if (!vm) throw new Error('no VictoriaMetrics');
  await vm.flush();
  const rows = await vm.query(`sum by (collector_instance) (${COST})`);
  return Object.fromEntries(rows.map((r) => [r.labels.collector_instance, r.value]));
}

describe('remote write through tenant, auth and mutual TLS', () => {
  it.each(['basic', 'bearer'])(
    'with the right %s credentials, tenant and client certificate every dollar arrives',
    async (name) => {
      if (!vm) throw new Error('no VictoriaMetrics');
      await vm.waitFor(
        `sum(${COST}{collector_instance="${name}"})`,
        (s) => Math.abs((s[0]?.value ?? 0) - dollars) < 1e-9,
        { timeoutMs: 30_000 },
      );
      expect(await failed(instance(name))).toBe(0);
      expect(await sent(instance(name))).toBeGreaterThan(0);
    },
  );

  it.each([
    ['wrong-password', 'credentials'],
    ['wrong-token', 'credentials'],
    ['wrong-tenant', 'tenant'],
  ])(
    '%s: refused with 401, counted in otelcol_exporter_send_failed_metric_points',
    async (name) => {
      const c = instance(name);
      const deadline = Date.now() + 30_000;
      while ((await failed(c)) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(await failed(c)).toBeGreaterThan(0);
      expect(await sent(c)).toBe(0);
      expect(readFileSync(c.logFile, 'utf8')).toMatch(/401/);
    },
  );

  it.each([
    ['no-client-cert', /certificate/i],
    ['plain-http', /http request|wrong version number|packet length/i],
  ] as const)(
    '%s: TLS refuses it before any header is read; counted as failed',
    async (name, why) => {
      const c = instance(name);
      const deadline = Date.now() + 60_000;
      while ((await failed(c)) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(await failed(c)).toBeGreaterThan(0);
      expect(await sent(c)).toBe(0);
      expect(
        gateway?.tlsErrors.some((m) => why.test(m)),
        gateway?.tlsErrors.join('; '),
      ).toBe(true);
    },
  );

  it('the gateway refused each bad request for its reason; nothing else reached the store', async () => {
    expect(gateway?.refused.credentials).toBeGreaterThanOrEqual(2);
    expect(gateway?.refused.tenant).toBeGreaterThanOrEqual(1);
    const byInstance = await stored();
    const arriving = started.filter((c) => c.arrives).map((c) => c.instance);
    expect(arriving).toEqual(['basic', 'bearer']);
    expect(Object.keys(byInstance).sort()).toEqual(arriving);
  });

  it('measures remote-write bytes per sample (and per series per day at a 15 s push)', async () => {
    if (!vm || !gateway) throw new Error('no stack');
    const gw = gateway;
    const store = vm;
    const rows = (): Promise<number> =>
      scrapeSum(`${store.url}/metrics`, 'vm_rows_inserted_total', { type: 'promremotewrite' });
    await store.flush();
    const series = (await store.query('count({collector_instance="basic"})'))[0]?.value ?? 0;
    const before = { bytes: gw.bytes, rows: await rows() };
    // Only the basic Collector gets more spans: every push from here on is its own.
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      await sendSpans(instance('basic').otlpHttpUrl, spans);
      await new Promise((r) => setTimeout(r, 600));
    }
    await store.waitFor(
      `sum(${COST}{collector_instance="basic"})`,
      (s) => Math.abs((s[0]?.value ?? 0) - (rounds + 1) * dollars) < 1e-9,
      { timeoutMs: 30_000 },
    );
    const bytes = gw.bytes - before.bytes;
    const samples = (await rows()) - before.rows;
    const perSample = bytes / samples;
    console.info(
      `remote write: ${bytes} bytes for ${samples} samples of ${series} series = ${perSample.toFixed(1)} bytes/sample; ` +
        `a series pushed every 15 s all day: ${((perSample * 86400) / 15 / 1024).toFixed(1)} KiB/series/day`,
    );
    expect(samples).toBeGreaterThanOrEqual(series * rounds * 0.5);
    expect(perSample).toBeGreaterThan(1);
    expect(perSample).toBeLessThan(200);
  });

  it('a misspelt BURNRATE_REMOTE_WRITE_AUTH stops the Collector at start, naming it', async () => {
    const err = await startRemoteWriteCollector({
      BURNRATE_REMOTE_WRITE_URL: gateway?.url ?? '',
      BURNRATE_REMOTE_WRITE_AUTH: 'basicauth/remote-write',
    }).then(
      (c) => c.stop().then(() => new Error('the Collector started')),
      (e: Error) => e,
    );
    const log = /\(log: (.+)\)$/.exec(err.message)?.[1];
    expect(log, err.message).toBeDefined();
    expect(readFileSync(log as string, 'utf8')).toContain(
      'failed to resolve authenticator "basicauth/remote-write": authenticator not found',
    );
  });
});
