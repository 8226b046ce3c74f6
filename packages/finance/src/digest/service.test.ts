import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrometheusConnection } from '@burnrate/budget-evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDigestService } from './service.ts';

// The evaluator's `serve --digest-config` hands the digest its Prometheus URL and the settings of
// its own connection (tenant, credentials, TLS): a multi-tenant store answers the digest's
// queries only with them.
let seen: IncomingHttpHeaders[] = [];
const prometheus = createServer((req, res) => {
  seen.push(req.headers);
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
});
let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-digest-service-'));
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(() => {
  prometheus.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The evaluator's token file (read by the digest's client, as by the evaluator's). */
function tokenFile(): string {
  writeFileSync(join(dir, 'token'), 'mimir-token-123\n');
  return join(dir, 'token');
}

function run(digest: string, connection?: PrometheusConnection): Promise<void> {
  const file = join(dir, 'digest.yaml');
  writeFileSync(file, digest);
  seen = [];
  // The clock stands a minute before a scheduled run (Mon 09:00 Berlin), then at it; the first
  // timer fires at once, later ones never.
  const at = Date.parse('2026-03-30T07:00:00Z');
  let first = true;
  let fired = false;
  return new Promise((resolve) => {
    const stop = startDigestService({
      configFile: file,
      prometheusUrl: url,
      prometheusConnection: connection,
      log: (line) => {
        if (/digest: (delivered|delivery|run|no channel|failed)/.test(line))
          void stop().then(resolve);
      },
      clock: {
        now: () => {
          const t = first ? at - 60_000 : at;
          first = false;
          return t;
        },
        setTimer: (fn) => {
          if (!fired) {
            fired = true;
            setImmediate(fn);
          }
          return undefined;
        },
        clearTimer: () => {},
      },
    });
    setTimeout(() => void stop().then(resolve), 5_000).unref();
  });
}

describe('startDigestService (the evaluator service scheduling the digest)', () => {
  it("queries the evaluator's Prometheus with its tenant header and credentials", async () => {
    await run(
      'schedule: "Mon 09:00"\ntimezone: Europe/Berlin\nchannels:\n  - { type: webhook, url: "http://127.0.0.1:9/hook" }\n',
      { headers: { 'X-Scope-OrgID': 'team-a' }, bearerTokenFile: tokenFile() },
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const h of seen) {
      expect(h['x-scope-orgid']).toBe('team-a');
      expect(h.authorization).toBe('Bearer mimir-token-123');
    }
  });

  it("a digest file with its own prometheus_url does not get the evaluator's credentials", async () => {
    await run(
      `schedule: "Mon 09:00"\ntimezone: Europe/Berlin\nprometheus_url: ${url}\nchannels:\n  - { type: webhook, url: "http://127.0.0.1:9/hook" }\n`,
      { bearerTokenFile: tokenFile() },
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const h of seen) expect(h.authorization).toBeUndefined();
  });
});
