// The measurements behind deploy/README.md "Sizing" (bench/fleet-sizing.ts turns them into the
// table). Real processes from the test harness, nothing mocked:
//   1. throughput through the tiers: the Collector bench's load (bench/collector-load.ts) sent to
//      an agent (collector/agent.yaml) that forwards to one gateway (otelcol.yaml + gateway.yaml);
//      CPU seconds of each from /proc;
//   2. gateway memory per active series: raw OTLP spans making 10,000 then 50,000 burnrate_*
//      series; RSS from /proc and the Collector's own otelcol_process_* metrics;
//   3. remote-write bytes per sample: the gateway's prometheus_remote_write exporter pointed at a
//      local HTTP server that counts the bytes of each request (snappy-compressed protobuf).
//
//   node --conditions=@burnrate/source bench/fleet-measure.ts   (prints JSON; BENCH_SPANS=200000)

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  type CollectorHandle,
  freePort,
  otlp,
  postOtlpJson,
  type RawSpan,
  scrapeCollector,
  startCollector,
} from '../test/harness/index.ts';
import { sendLoad } from './collector-load.ts';

const GATEWAY = ['collector/otelcol.yaml', 'collector/gateway.yaml'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function value(c: CollectorHandle, name: string, telemetry = false): Promise<number> {
  const url = telemetry ? `http://${c.telemetryTarget}/metrics` : c.metricsUrl;
  return (await scrapeCollector(url))
    .filter((s) => s.name === name)
    .reduce((sum, s) => sum + s.value, 0);
}

/** 1. Spans per CPU-second of the agent and of the gateway it forwards to. */
async function throughput(total: number) {
  const gateway = await startCollector({ configPaths: GATEWAY });
  const agent = await startCollector({
    configPaths: ['collector/agent.yaml'],
    env: { BURNRATE_GATEWAY_ENDPOINT: gateway.otlpGrpcEndpoint },
  });
  try {
    await sleep(3_000);
    const [a0, g0] = [cpuSeconds(agent.pid() as number), cpuSeconds(gateway.pid() as number)];
    const started = performance.now();
    const exp = await sendLoad(agent.otlpHttpUrl, total);
    const deadline = Date.now() + 180_000;
    while (
      (await value(gateway, 'burnrate_llm_requests_total')) < exp.llmRequests &&
      Date.now() < deadline
    )
      await sleep(500);
    const counted = await value(gateway, 'burnrate_llm_requests_total');
    const agentCpu = cpuSeconds(agent.pid() as number) - a0;
    const gatewayCpu = cpuSeconds(gateway.pid() as number) - g0;
    return {
      spans: exp.spans,
      exact: counted === exp.llmRequests,
      wallSeconds: (performance.now() - started) / 1000,
      agentCpuSeconds: agentCpu,
      gatewayCpuSeconds: gatewayCpu,
      spansPerAgentCpuSecond: Math.round(exp.spans / agentCpu),
      spansPerGatewayCpuSecond: Math.round(exp.spans / gatewayCpu),
      agentRssMb: agent.rssBytes() / 2 ** 20,
      gatewayRssMb: gateway.rssBytes() / 2 ** 20,
    };
  } finally {
    await agent.stop();
    await gateway.stop();
  }
}

/** A priced span of its own tenant: 4 series (cost, input and output tokens, requests). */
function span(tenant: number): RawSpan {
  return {
    name: 'chat',
    resource: { 'service.name': 'sizing', 'deployment.environment.name': 'bench' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': otlp.int(100),
      'gen_ai.usage.output_tokens': otlp.int(20),
      'burnrate.cost.usd': otlp.double(0.001),
      'burnrate.cost.source': 'usage',
      'burnrate.tenant': `t${tenant}`,
    },
  };
}

const spans = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => span(from + i));

async function memoryAt(c: CollectorHandle) {
  await sleep(3_000);
  return {
    series: (await scrapeCollector(c.metricsUrl)).filter((s) => s.name.startsWith('burnrate_'))
      .length,
    rssMb: c.rssBytes() / 2 ** 20,
    otelcolRssMb: (await value(c, 'otelcol_process_memory_rss', true)) / 2 ** 20,
    heapAllocMb: (await value(c, 'otelcol_process_runtime_heap_alloc_bytes', true)) / 2 ** 20,
    goSysMb: (await value(c, 'otelcol_process_runtime_total_sys_memory_bytes', true)) / 2 ** 20,
  };
}

/** 2. Gateway memory with 0, 10,000 and 50,000 active series. */
async function memory() {
  const gateway = await startCollector({
    configPaths: GATEWAY,
    env: { BURNRATE_MAX_SERIES: '60000', BURNRATE_MAX_TENANTS: '100000' },
  });
  try {
    const idle = await memoryAt(gateway);
    await postOtlpJson(gateway.otlpHttpUrl, spans(0, 2_500));
    const at10k = await memoryAt(gateway);
    await postOtlpJson(gateway.otlpHttpUrl, spans(2_500, 12_500));
    const at50k = await memoryAt(gateway);
    return { idle, at10k, at50k };
  } finally {
    await gateway.stop();
  }
}

/** 3. Bytes of remote write per pushed sample, N series updated once. */
async function remoteWrite(tenants: number) {
  let bytes = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      requests++;
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const gateway = await startCollector({
    configPaths: GATEWAY,
    batchTimeout: '1s',
    env: {
      BURNRATE_METRICS_EXPORTERS: '[prometheus, prometheus_remote_write]',
      BURNRATE_REMOTE_WRITE_URL: `http://127.0.0.1:${port}/api/v1/write`,
      BURNRATE_COLLECTOR_INSTANCE: 'gateway-1',
      BURNRATE_MAX_TENANTS: '100000',
    },
  });
  try {
    await postOtlpJson(gateway.otlpHttpUrl, spans(0, tenants));
    await sleep(4_000);
    const series = (await scrapeCollector(gateway.metricsUrl)).filter((s) =>
      s.name.startsWith('burnrate_'),
    ).length;
    [bytes, requests] = [0, 0];
    await postOtlpJson(gateway.otlpHttpUrl, spans(0, tenants)); // every series updated once
    await sleep(4_000);
    return { series, bytes, requests, bytesPerSample: bytes / series };
  } finally {
    await gateway.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const result = {
  measuredAt: new Date().toISOString(),
  throughput: await throughput(Number(process.env.BENCH_SPANS ?? 200_000)),
  memory: await memory(),
  remoteWrite: await remoteWrite(2_500),
};
console.log(JSON.stringify(result, null, 2));
process.exit(0);
