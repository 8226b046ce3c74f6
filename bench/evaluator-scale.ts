// `npm run bench evaluator-scale`: the real budget evaluator (its CLI, `serve`, in its own
// process) with 10,000 budgets over 100,000 cost series in a real Prometheus (the test harness's)
// and a real Alertmanager. Reads each cycle's duration and query count from the evaluator's
// /metrics, its CPU from /proc/<pid>/stat and its heap from a preload probe (bench/heap-probe.ts).
//
//   BENCH_SERIES=100000 BENCH_BUDGETS=10000 BENCH_CYCLES=3 npm run bench evaluator-scale
//   (BENCH_EVALUATOR_HEAP_MB=384: run the evaluator with --max-old-space-size=384)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  parseExposition,
  spawnManaged,
  startAlertmanager,
  startPrometheus,
} from '../test/harness/index.ts';
import { budgetsYaml, startSeriesServer } from './evaluator-data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, CLK_TCK 100
}

async function scrape(url: string) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return parseExposition(await res.text());
}
/** The evaluator's heap used, as its preloaded probe last wrote it (0 while unreadable). */
function heapUsed(file: string): number {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).heapUsed : 0;
  } catch {
    return 0; // caught mid-write
  }
}

const pick = (samples: Awaited<ReturnType<typeof scrape>>, name: string) =>
  samples.find((s) => s.name === name)?.value ?? Number.NaN;

export async function benchEvaluatorScale(): Promise<string> {
  const SERIES = Number(process.env.BENCH_SERIES ?? 100_000);
  const BUDGETS = Number(process.env.BENCH_BUDGETS ?? 10_000);
  const CYCLES = Number(process.env.BENCH_CYCLES ?? 3);
  const HEAP_MB = process.env.BENCH_EVALUATOR_HEAP_MB;
  const INTERVAL = 30;
  const exporter = await startSeriesServer(SERIES);
  const prom = await startPrometheus({
    scrapeTargets: [exporter.target],
    scrapeIntervalSeconds: 15,
  });
  const am = await startAlertmanager();
  const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-bench-evaluator-'));
  const config = path.join(dir, 'budgets.yaml');
  const probe = path.join(dir, 'heap.json');
  writeFileSync(config, budgetsYaml(BUDGETS));
  try {
    const count = `count({__name__=~"burnrate_(llm|vectordb)_cost_usd_total"})`;
    await prom.waitFor(count, (s) => s[0]?.value === SERIES, { timeoutMs: 180_000 });
    await sleep(16_000); // a second scrape: every series has a rate
    const port = await freePort();
    const evaluator = spawnManaged(
      'evaluator',
      process.execPath,
      [
        ...(HEAP_MB ? [`--max-old-space-size=${Number(HEAP_MB)}`] : []),
        '--conditions=@burnrate/source',
        '--import',
        path.join(here, 'heap-probe.ts'),
        path.join(root, 'packages/budget-evaluator/src/cli.ts'),
        'serve',
        `--config=${config}`,
        `--prometheus=${prom.url}`,
        `--alertmanager=${am.url}`,
        `--port=${port}`,
        '--host=127.0.0.1',
        `--interval=${INTERVAL}s`,
      ],
      { env: { BURNRATE_HEAP_PROBE: probe } },
    );
    const pid = evaluator.pid as number;
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const promSelf = `${prom.url}/metrics`;
    const rows: string[] = [];
    let seen = 0;
    let sum = 0;
    let cpu = cpuSeconds(pid);
    let promCpu = pick(await scrape(promSelf), 'process_cpu_seconds_total');
    let queries = 0;
    let peakHeap = 0;
    const deadline = Date.now() + (CYCLES + 2) * 120_000;
    while (seen < CYCLES && Date.now() < deadline) {
      // The heap probe is a file; /metrics (10,000 budgets, ~20,000 alerts: megabytes of text
      // rendered on the evaluator's event loop) is read every 2 s, as a slow scraper would.
      for (let k = 0; k < 8; k++) {
        await sleep(250);
        peakHeap = Math.max(peakHeap, heapUsed(probe));
      }
      const m = await scrape(metricsUrl).catch(() => []);
      const n = pick(m, 'burnrate_budget_evaluation_duration_seconds_count');
      if (!(n > seen)) continue;
      const s = pick(m, 'burnrate_budget_evaluation_duration_seconds_sum');
      queries = pick(m, 'burnrate_budget_evaluation_queries');
      const nowCpu = cpuSeconds(pid);
      const nowProm = pick(await scrape(promSelf), 'process_cpu_seconds_total');
      const missing = pick(m, 'burnrate_budget_data_missing');
      const firing = m.filter(
        (x) => x.name === 'burnrate_budget_alert_firing' && x.value === 1,
      ).length;
      seen = n;
      rows.push(
        `| ${seen}${seen === 1 ? ' (includes start-up)' : ''} | ${(s - sum).toFixed(2)} s | ${queries} | ${(nowCpu - cpu).toFixed(2)} s | ${(nowProm - promCpu).toFixed(2)} s | ${firing} | ${missing === 0 ? 'no' : 'YES'} |`,
      );
      sum = s;
      cpu = nowCpu;
      promCpu = nowProm;
    }
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) =>
      Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    const budgetsDoc = (await (await fetch(`http://127.0.0.1:${port}/api/v1/budgets`)).json()) as {
      budgets: { spentUsd: number | null }[];
    };
    const matched = budgetsDoc.budgets.filter((b) => (b.spentUsd ?? 0) > 0).length;
    await evaluator.stop();
    if (seen < CYCLES) rows.push(`| (only ${seen} of ${CYCLES} cycles finished) | | | | | | |`);
    return [
      '## Budget evaluator at scale (10,000 budgets, 100,000 series)',
      '',
      `${BUDGETS.toLocaleString('en-US')} budgets (tenant, tenant×model, tenant×provider, service×endpoint, service×environment, team×environment, team×model regex, team×environment≠production, service×tenant, vector-DB service×db_system, tenant regex×environment, team; monthly, daily in Europe/Berlin, weekly in America/New_York, quarterly, rolling 1h/24h/7d; 3 thresholds each) over ${SERIES.toLocaleString('en-US')} cost series (90 % burnrate_llm_cost_usd_total, 10 % vector-DB; 45 services × 2,000 tenants) served by an exporter and scraped every 15 s by the harness Prometheus (Debian 2.42). The evaluator runs as \`burnrate-evaluator serve --interval=30s\` in its own process (source build), posting to a real Alertmanager. Cycle = its own burnrate_budget_evaluation_duration_seconds; CPU from /proc (2 shared cores: wall time includes waiting for them).`,
      '',
      '| cycle | duration (its /metrics) | queries | evaluator CPU since the last cycle | Prometheus CPU since the last cycle (scrapes included) | alerts firing | data missing |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      `Evaluator memory${HEAP_MB ? ` (heap capped at ${Number(HEAP_MB)} MB)` : ''}: peak heap used ${(peakHeap / 1048576).toFixed(0)} MB, RSS ${kb('VmRSS').toFixed(0)} MB (peak ${kb('VmHWM').toFixed(0)} MB). Budgets with spend > 0: ${matched} of ${budgetsDoc.budgets.length}.`,
      '',
    ].join('\n');
  } finally {
    await prom.stop();
    await am.stop();
    await exporter.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await benchEvaluatorScale());
