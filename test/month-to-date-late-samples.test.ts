import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type PrometheusHandle, startPrometheus } from './harness/index.ts';
import { pushSamples } from './harness/remote-write-push.ts';
import { monthToDateRules } from './pipeline-support.ts';
import { settledMonthToDate } from './pipeline-tiers-support.ts';

// Month-to-date (deploy/prometheus/rules/burnrate-recording.yml) when a scrape is stored while the
// rules evaluate: Prometheus stamps a scrape when it starts and stores it when the target has
// answered, so a sample stamped before an evaluation's time can arrive while that evaluation
// runs. It must be counted exactly once: the rules must count, and mark consumed, the same
// reading of each counter. Here 20 targets answer after a random delay (0-0.7 s, within the 1 s scrape timeout), and 20,000
// other series (every other team's spend) make each evaluation take a while, as in a big
// deployment.

const rules = monthToDateRules(1);
const TARGETS = 20;
const BACKGROUND = 20_000;
const CENT = 0.01;
let prom: PrometheusHandle;
const servers: Server[] = [];
const scrapes: number[] = Array(TARGETS).fill(0);
let counting = true;

const labels = (team: string, endpoint: string) =>
  `environment="late",model="gpt-4o",endpoint="${endpoint}",service="late",tenant="none",team="${team}"`;

beforeAll(async () => {
  const targets: string[] = [];
  for (let i = 0; i < TARGETS; i++) {
    // Each scrape counts one more cent, and is answered after a random delay.
    const server = createServer((_req, res) => {
      if (counting) scrapes[i]++;
      const body = `# TYPE burnrate_llm_cost_usd_total counter\nburnrate_llm_cost_usd_total{${labels(`hot-${i}`, '/chat')}} ${(scrapes[i] * CENT).toFixed(2)}\n`;
      setTimeout(() => res.end(body), Math.random() * 700);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    targets.push(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  prom = await startPrometheus({
    scrapeTargets: targets,
    ruleFiles: [rules.file],
    remoteWriteReceiver: true,
  });
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  for (const s of servers) s.close();
  rules.remove();
});

test('a scrape stored while the rules evaluate (stamped before their time) is counted once: month-to-date equals the counters to the cent', async () => {
  const now = Date.now();
  const background = Array.from({ length: BACKGROUND }, (_, i) => ({
    labels: {
      __name__: 'burnrate_llm_cost_usd_total',
      ...Object.fromEntries(
        labels(`team-${i % 50}`, `/route-${i}`)
          .split(',')
          .map((kv) => kv.split('=').map((s) => s.replaceAll('"', ''))),
      ),
    },
    value: 1,
    timestampMs: now,
  }));
  for (let i = 0; i < BACKGROUND; i += 5_000)
    await pushSamples(prom.url, background.slice(i, i + 5_000));
  await new Promise((r) => setTimeout(r, 25_000));
  counting = false;

  const mtd = await settledMonthToDate(prom, rules.intervalSeconds);
  const want = scrapes.reduce((s, n) => s + n, 0) * CENT;
  const hot = await prom.query(
    'sum(team_environment:burnrate_cost_usd:month_to_date{environment="late",team=~"hot-.*"})',
  );
  // Each counter's last stored value (a scrape that timed out on a loaded machine would make the
  // instant value stale; the rules read the last value the same way).
  const held = await prom.query(
    'sum(last_over_time(burnrate_llm_cost_usd_total{team=~"hot-.*"}[5m]))',
  );
  console.log(
    `[late-samples] want ${want}, held ${held[0]?.value}, hot ${hot[0]?.value}, all ${mtd}`,
  );
  expect(held[0]?.value).toBeCloseTo(want, 6);
  expect(hot[0]?.value).toBeCloseTo(want, 6);
  expect(mtd).toBeCloseTo(want + BACKGROUND, 6);
}, 180_000);
