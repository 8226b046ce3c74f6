// `burnrate digest` reaches Prometheus with the connection flags and variables `burnrate report`
// takes (tenant, credentials, TLS), through the budget evaluator's client.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from './cli.ts';

const seen: IncomingHttpHeaders[] = [];
let prometheus: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(req.headers);
      const query = new URLSearchParams(Buffer.concat(chunks).toString()).get('query') ?? '';
      const matrix = req.url?.endsWith('/query_range') || query.endsWith(']');
      const data = { resultType: matrix ? 'matrix' : 'vector', result: [] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>((r) => prometheus.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'burnrate-digest-conn-'));
  writeFileSync(
    join(dir, 'digest.yaml'),
    `schedule: "Mon 09:00"\nprometheus_url: ${url}\nchannels:\n  - { type: slack, webhook_url: https://127.0.0.1:9/x }\n`,
  );
});

afterAll(async () => {
  prometheus.closeAllConnections();
  await new Promise((r) => prometheus.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const code = await digestCommand(['--config', join(dir, 'digest.yaml'), ...args], {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    env,
  });
  return { code, out: out.join('\n') };
}

describe('burnrate digest: the Prometheus connection', () => {
  it("sends the tenant and credentials to the config's prometheus_url", async () => {
    const r = await run(['--prometheus-tenant', 'acme', '--dry-run'], {
      BURNRATE_PROMETHEUS_BEARER_TOKEN: 'd1gest-t0k',
    });
    expect(r.code).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const h of seen) {
      expect(h).toMatchObject({ authorization: 'Bearer d1gest-t0k', 'x-scope-orgid': 'acme' });
    }
    expect(r.out).not.toContain('d1gest-t0k');
  });

  it('a bad connection setting is a usage error naming the flag', async () => {
    const missing = join(dir, 'ca.pem');
    const r = await run(['--prometheus-ca-file', missing, '--dry-run'], {});
    expect(r).toEqual({
      code: 2,
      out: `burnrate digest: --prometheus-ca-file (or BURNRATE_PROMETHEUS_CA_FILE): cannot read "${missing}" (ENOENT)`,
    });
    expect((await run(['--help'], {})).out).toContain('--prometheus-cert-file');
  });
});
