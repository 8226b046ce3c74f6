// `npm run bench collector`: the project's Collector (collector/otelcol.yaml, our distribution) and
// a real Prometheus scraping it, fed ≥ 500k priced spans over OTLP/HTTP protobuf by the JS SDK's
// exporter (bench/collector-load.ts). Measures the Collector process's CPU seconds
// (/proc/<pid>/stat utime+stime, so other work on the machine does not count) and peak RSS
// (VmHWM), and checks Prometheus' totals against what was sent.
//
//   BENCH_SPANS=500000 BENCH_COLLECTOR_CONFIG=<other otelcol.yaml> npm run bench collector
//   GOGC=200 npm run bench collector      (the Collector inherits the environment: GC settings)
//   BURNRATE_OTELCOL_BIN=<other build> ... (another Collector binary, e.g. a before/after pair)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector, startPrometheus } from '../test/harness/index.ts';
import { type Expected, sendLoad } from './collector-load.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TICK = 100; // getconf CLK_TCK on Linux

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime
}

function statusKb(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return Number(m?.[1] ?? Number.NaN);
}

async function quiet(pid: number): Promise<void> {
  for (let last = cpuSeconds(pid), calm = 0; calm < 3; ) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    calm = now - last < 0.05 ? calm + 1 : 0;
    last = now;
  }
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });

export async function benchCollector(): Promise<string> {
  const total = Number(process.env.BENCH_SPANS ?? 500_000);
  const configPath =
    process.env.BENCH_COLLECTOR_CONFIG ?? path.join(root, 'collector/otelcol.yaml');
  const collector = await startCollector({ configPath });
  const prom = await startPrometheus({
    scrapeTargets: [collector.metricsTarget, collector.telemetryTarget],
    scrapeIntervalSeconds: 5,
  });
  try {
    const pid = collector.pid() as number;
    // Idle cost first (health checks, memory_limiter, self-telemetry, scrapes), to subtract.
    await new Promise((r) => setTimeout(r, 6000));
    const idle0 = cpuSeconds(pid);
    const idleStart = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const idlePerSecond = (cpuSeconds(pid) - idle0) / ((performance.now() - idleStart) / 1000);

    const cpu0 = cpuSeconds(pid);
    const wall0 = performance.now();
    const sender0 = process.cpuUsage();
    const exp = await sendLoad(collector.otlpHttpUrl, total, (sent) => {
      if (sent % 100_000 < 16_000) process.stderr.write(`  collector bench: ${sent} spans sent\n`);
    });
    const sendWall = (performance.now() - wall0) / 1000;
    const sender = process.cpuUsage(sender0);
    // Wait until Prometheus shows every request the Collector had to count (with a config
    // under study that counts differently, BENCH_QUIET=1: until the Collector's CPU is idle).
    if (process.env.BENCH_QUIET) await quiet(pid);
    else {
      await prom
        .waitFor('sum(burnrate_llm_requests_total)', (s) => s[0]?.value === exp.llmRequests, {
          timeoutMs: 180_000,
          intervalMs: 1000,
        })
        .catch(() => process.stderr.write('  collector bench: totals never matched\n'));
    }
    const wall = (performance.now() - wall0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const cpuBusy = cpu - idlePerSecond * wall;
    const rssPeakMb = statusKb(pid, 'VmHWM') / 1024;
    const rssMb = statusKb(pid, 'VmRSS') / 1024;
    const checks = await checkTotals(prom.query, exp);
    const limitDrops = await prom.query(
      'sum(otelcol_deltatocumulative_datapoints{error="limit"}) or vector(0)',
    );
    const series = await prom.query('count({__name__=~"burnrate_.+",le=""})');
    const rate = exp.spans / cpu;
    const lines = [
      '## Collector throughput (collector/otelcol.yaml, OTLP/HTTP protobuf from the JS SDK)',
      '',
      `${fmt(exp.spans)} spans (${fmt(exp.metered)} metered, ${fmt(exp.runs)} agent runs with ${fmt(exp.agentCalls)} calls, ${fmt(exp.vectordbOperations)} vector-DB operations) in 1,000-span batches from 8 SDK TracerProviders (4 services × 2 environments), sent with \`@opentelemetry/exporter-trace-otlp-proto\` to the Collector started by the test harness; Prometheus scrapes it every 5 s. CPU = the Collector process's utime+stime from /proc/<pid>/stat (the machine is shared: wall time means little).`,
      '',
      '| measure | value |',
      '| --- | ---: |',
      `| Collector CPU seconds (send start → totals in Prometheus) | ${cpu.toFixed(2)} s |`,
      `| **spans per Collector CPU-second** | **${fmt(rate)}** (goal 50,000: ${(rate / 50_000).toFixed(2)}×) |`,
      `| same, idle cost subtracted (${(idlePerSecond * 1000).toFixed(0)} ms CPU/s idle) | ${fmt(exp.spans / cpuBusy)} |`,
      `| wall: send / until Prometheus had all | ${sendWall.toFixed(1)} s / ${wall.toFixed(1)} s |`,
      `| Collector peak RSS (VmHWM) / RSS at end | ${rssPeakMb.toFixed(0)} MB / ${rssMb.toFixed(0)} MB |`,
      `| sender CPU (SDK spans + protobuf + HTTP) | ${((sender.user + sender.system) / 1e6).toFixed(1)} s |`,
      `| burnrate_* series in Prometheus (histograms counted once) | ${fmt(series[0]?.value ?? 0)} |`,
      `| data points dropped at max_streams | ${limitDrops[0]?.value ?? 0} |`,
      `| Collector's Go runtime (GOGC / GOMEMLIMIT from the environment) | ${process.env.GOGC ?? 'default (100)'} / ${process.env.GOMEMLIMIT ?? 'none'} |`,
      '',
      '| Prometheus total | sent | in Prometheus | difference |',
      '| --- | ---: | ---: | ---: |',
      ...checks.rows,
      '',
    ];
    if (!checks.ok) lines.push('**A total differs from what was sent (tolerance 1e-6).**', '');
    return lines.join('\n');
  } finally {
    await prom.stop();
    await collector.stop();
  }
}

async function checkTotals(
  query: (q: string) => Promise<{ value: number }[]>,
  exp: Expected,
): Promise<{ ok: boolean; rows: string[] }> {
  const want: [string, number][] = [
    ['sum(burnrate_llm_cost_usd_total)', exp.llmCostUsd],
    ['sum(burnrate_vectordb_cost_usd_total)', exp.vectordbCostUsd],
    ['sum(burnrate_agent_tool_cost_usd_total)', exp.toolCostUsd],
    ['sum(burnrate_agent_run_cost_usd_sum)', exp.runCostUsd],
    ['sum(burnrate_agent_run_cost_usd_count)', exp.runs],
    ['sum(burnrate_llm_requests_total)', exp.llmRequests],
    ['sum(burnrate_llm_tokens_total{token_type="input"})', exp.inputTokens],
    ['sum(burnrate_vectordb_operations_total)', exp.vectordbOperations],
    ['sum(burnrate_agent_breaker_trips_total)', exp.breakerTrips],
    ['sum(burnrate_invalid_spans_total) or vector(0)', 0],
  ];
  let ok = true;
  const rows: string[] = [];
  for (const [q, sent] of want) {
    const got = (await query(q))[0]?.value ?? Number.NaN;
    const diff = got - sent;
    if (!(Math.abs(diff) <= 1e-6)) ok = false;
    rows.push(`| \`${q}\` | ${sent.toFixed(6)} | ${got.toFixed(6)} | ${diff.toExponential(1)} |`);
  }
  return { ok, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await benchCollector());
