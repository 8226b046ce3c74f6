// Load for the Collector bench (bench/collector.ts): priced spans shaped like what @burnrate/auto
// writes (contract attributes plus the usual GenAI extras), sent with the OpenTelemetry JS SDK's
// OTLP/HTTP protobuf exporter in 1,000-span batches. Returns what Prometheus must then show.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

type Attrs = Record<string, string | number | boolean | string[]>;

/** What the sent spans add up to, per Burnrate metric (only what the Collector must count). */
export type Expected = {
  spans: number;
  llmCostUsd: number; // burnrate_llm_cost_usd_total: priced, not metered
  vectordbCostUsd: number;
  toolCostUsd: number; // burnrate_agent_tool_cost_usd_total: priced (metered too) calls in a tool
  llmRequests: number;
  vectordbOperations: number;
  inputTokens: number;
  runs: number;
  runCostUsd: number;
  breakerTrips: number;
  metered: number;
  agentCalls: number;
};

const SERVICES = ['checkout-api', 'search-api', 'support-bot', 'docs-indexer'];
const ENVS = ['production', 'staging'];
// [provider, model, $ per M input, $ per M output, $ per M cache read]
const MODELS: [string, string, number, number, number][] = [
  ['openai', 'gpt-4.1-mini', 0.4, 1.6, 0.1],
  ['openai', 'gpt-4o', 2.5, 10, 1.25],
  ['anthropic', 'claude-sonnet-4-5', 3, 15, 0.3],
  ['openai', 'text-embedding-3-small', 0.02, 0, 0],
];
const AGENTS = ['planner', 'researcher', 'writer', 'coder'];
const TOOLS = ['web_search', 'run_tests', 'calculator'];
const SHAPES = 300; // distinct attribution label sets (keeps every series under the caps)

/** Attribution of the n-th call: a fixed set of label combinations, as a real fleet has. */
function where(shape: number) {
  return {
    team: `team-${shape % 7}`,
    endpoint: `POST /v1/route-${shape % 23}`,
    tenant: `tenant-${shape % 41}`,
  };
}

const usd = (tokens: number, perMillion: number) => (tokens * perMillion) / 1e6;

export async function sendLoad(
  otlpHttpUrl: string,
  total: number,
  onProgress?: (sent: number) => void,
): Promise<Expected> {
  const exp: Expected = {
    spans: 0,
    llmCostUsd: 0,
    vectordbCostUsd: 0,
    toolCostUsd: 0,
    llmRequests: 0,
    vectordbOperations: 0,
    inputTokens: 0,
    runs: 0,
    runCostUsd: 0,
    breakerTrips: 0,
    metered: 0,
    agentCalls: 0,
  };
  const providers: TracerProvider[] = [];
  const tracers = SERVICES.flatMap((service) =>
    ENVS.map((environment) => {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'deployment.environment.name': environment,
          'service.version': '2026.12.1',
          'service.instance.id': `${service}-${environment}-7f9c4`,
          'host.name': `ip-10-0-${service.length}-12`,
          'process.runtime.name': 'nodejs',
          'process.runtime.version': '24.22.3',
          'burnrate.team': `team-${service.length % 7}`,
        }),
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }),
            maxQueueSize: 20_000,
            maxExportBatchSize: 1000,
            scheduledDelayMillis: 3_600_000, // export on forceFlush only: errors reject there
          }),
        ],
      });
      providers.push(provider);
      return provider.getTracer('@burnrate/auto', '0.1.0');
    }),
  );

  const emit = (tracer: number, name: string, attributes: Attrs, error = false) => {
    const span = tracers[tracer].startSpan(name, { kind: SpanKind.CLIENT, attributes });
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end();
    exp.spans++;
  };

  /** One model call; returns its cost (0 when unpriced). */
  const llm = (n: number, t: number, shape: number, extra: Attrs, metered: boolean): number => {
    // Each route calls one chat model (and sometimes embeddings), as real code does.
    const [provider, model, pin, pout, pcache] = MODELS[n % 7 === 0 ? 3 : shape % 3];
    const embeddings = model.startsWith('text-embedding');
    const input = 200 + ((n * 7919) % 6000);
    const output = embeddings ? 0 : 20 + ((n * 104729) % 900);
    const cacheRead = provider === 'anthropic' && n % 2 === 0 ? Math.floor(input / 2) : 0;
    const unpriced = n % 53 === 0;
    const cost = unpriced
      ? 0
      : usd(input - cacheRead, pin) + usd(output, pout) + usd(cacheRead, pcache);
    const source = unpriced ? 'unpriced' : n % 19 === 0 ? 'estimated' : 'usage';
    const w = where(shape);
    const attributes: Attrs = {
      'gen_ai.operation.name': embeddings ? 'embeddings' : 'chat',
      'gen_ai.provider.name': provider,
      'gen_ai.request.model': model,
      'gen_ai.response.model': embeddings ? model : `${model}-2026-08-06`,
      'gen_ai.response.id': `chatcmpl-${n.toString(36)}x9Qb7hZk2`,
      'server.address': provider === 'anthropic' ? 'api.anthropic.com' : 'api.openai.com',
      'server.port': 443,
      'gen_ai.usage.input_tokens': input,
      'burnrate.cost.source': source,
      'burnrate.team': w.team,
      'burnrate.endpoint': w.endpoint,
      'burnrate.tenant': w.tenant,
      ...extra,
    };
    if (!embeddings) {
      attributes['gen_ai.usage.output_tokens'] = output;
      attributes['gen_ai.request.max_tokens'] = 1024;
      attributes['gen_ai.request.temperature'] = 0.2;
      attributes['gen_ai.response.finish_reasons'] = ['stop'];
    }
    if (cacheRead) attributes['gen_ai.usage.cache_read.input_tokens'] = cacheRead;
    if (!unpriced) {
      attributes['burnrate.cost.usd'] = cost;
      attributes['burnrate.cost.input_usd'] = usd(input - cacheRead, pin);
      attributes['burnrate.cost.output_usd'] = usd(output, pout);
      attributes['burnrate.pricing.model'] = model;
    }
    if (metered) attributes['burnrate.metered'] = true;
    const error = n % 50 === 0;
    emit(t, `${attributes['gen_ai.operation.name']} ${model}`, attributes, error);
    if (metered) exp.metered++;
    else {
      exp.llmRequests++;
      exp.inputTokens += input;
      if (!unpriced) exp.llmCostUsd += cost;
    }
    if (extra['gen_ai.tool.name'] && !unpriced) exp.toolCostUsd += cost;
    return cost;
  };

  let n = 0;
  let request = 0;
  let sinceFlush = 0;
  while (exp.spans < total) {
    request++;
    const t = request % tracers.length;
    const shape = (request * 37) % SHAPES;
    // One request in ten is an agent run: 4 model calls (tools on some) and its run span.
    if (request % 10 === 0) {
      exp.runs++;
      const agent = AGENTS[request % AGENTS.length];
      const runId = `run-${request.toString(36)}`;
      let runCost = 0;
      for (let step = 1; step <= 4; step++) {
        const tool = step % 2 === 0 ? TOOLS[(request + step) % TOOLS.length] : undefined;
        const trip = step === 4 && request % 70 === 0;
        const extra: Attrs = {
          'gen_ai.agent.name': step === 1 ? agent : AGENTS[(request + step) % AGENTS.length],
          'gen_ai.conversation.id': `${runId}-thread`,
          'burnrate.run.id': runId,
          'burnrate.run.step': step,
          ...(tool ? { 'gen_ai.tool.name': tool } : {}),
          ...(trip ? { 'burnrate.breaker.kind': 'steps', 'burnrate.breaker.mode': 'record' } : {}),
        };
        if (trip) exp.breakerTrips++;
        runCost += llm(++n, t, shape, extra, n % 3 === 0);
        exp.agentCalls++;
      }
      emit(t, `invoke_agent ${agent}`, {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': agent,
        'burnrate.run.id': runId,
        'burnrate.run.cost_usd': runCost,
        'burnrate.run.calls': 4,
        'burnrate.run.unpriced_calls': 0,
        'burnrate.team': where(shape).team,
        'burnrate.endpoint': where(shape).endpoint,
      });
      exp.runCostUsd += runCost;
      sinceFlush += 5;
    } else if (request % 12 === 5) {
      // A vector-database query (Pinecone-style read units).
      const cost = usd(5 + (request % 11), 16);
      const w = where(shape);
      emit(t, 'query pinecone', {
        'db.system.name': 'pinecone',
        'db.operation.name': 'query',
        'db.collection.name': 'products-2026-11',
        'burnrate.cost.source': 'usage',
        'burnrate.cost.usd': cost,
        'burnrate.team': w.team,
        'burnrate.endpoint': w.endpoint,
        'burnrate.tenant': w.tenant,
      });
      exp.vectordbCostUsd += cost;
      exp.vectordbOperations++;
      sinceFlush++;
    } else {
      // A plain call; about a third come from apps that meter their own cost (burnrate.metered).
      llm(++n, t, shape, {}, request % 3 === 1);
      sinceFlush++;
    }
    if (sinceFlush >= 16_000) {
      sinceFlush = 0;
      await Promise.all(providers.map((p) => p.forceFlush()));
      onProgress?.(exp.spans);
    }
  }
  await Promise.all(providers.map((p) => p.forceFlush()));
  await Promise.all(providers.map((p) => p.shutdown()));
  return exp;
}
