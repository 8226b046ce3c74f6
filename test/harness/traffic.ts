import type { Attrs, SpanSpec } from './spans.ts';

/**
 * Synthetic traffic shaped exactly like Burnrate's span contract (DESIGN.md): several
 * services, teams, environments, endpoints, tenants, providers and models, streaming,
 * errors, cache and reasoning tokens, unpriced models, vector-DB calls, and spans that must
 * NOT be counted (plain HTTP spans, GenAI spans Burnrate did not price). Deterministic per seed.
 *
 * Prices (USD per 1M tokens) are the providers' public list prices, used only to make
 * realistic dollar amounts; the pipeline sums `burnrate.cost.usd`, it does not price.
 */
type Price = { input: number; output: number; cacheRead?: number; cacheWrite?: number };
type Model = { provider: string; model: string; operation: string; price?: Price };

export const TRAFFIC_MODELS: Model[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    operation: 'chat',
    price: { input: 2.5, output: 10, cacheRead: 1.25 },
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    operation: 'chat',
    price: { input: 0.15, output: 0.6, cacheRead: 0.075 },
  },
  {
    provider: 'openai',
    model: 'o3-mini',
    operation: 'chat',
    price: { input: 1.1, output: 4.4, cacheRead: 0.55 },
  },
  {
    provider: 'openai',
    model: 'text-embedding-3-small',
    operation: 'embeddings',
    price: { input: 0.02, output: 0 },
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    operation: 'chat',
    price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  },
  {
    provider: 'gcp.gen_ai',
    model: 'gemini-2.0-flash',
    operation: 'generate_content',
    price: { input: 0.1, output: 0.4 },
  },
  { provider: 'openai', model: 'ft:gpt-4o-mini:acme:custom', operation: 'chat' }, // unpriced
];

const SERVICES: { resource: Attrs; endpoints: string[] }[] = [
  {
    resource: {
      'service.name': 'checkout',
      'burnrate.team': 'payments',
      'deployment.environment.name': 'production',
    },
    endpoints: ['/api/checkout/assist', '/api/checkout/fraud-check'],
  },
  {
    resource: {
      'service.name': 'support-bot',
      'burnrate.team': 'support',
      'deployment.environment.name': 'production',
    },
    endpoints: ['/api/chat', '/api/summarize'],
  },
  {
    resource: {
      'service.name': 'support-bot',
      'burnrate.team': 'support',
      'deployment.environment.name': 'staging',
    },
    endpoints: ['/api/chat'],
  },
  // No team and no environment on the resource: unassigned / unknown unless a span says otherwise.
  { resource: { 'service.name': 'search' }, endpoints: ['/api/search', '/api/recommend'] },
];

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateTraffic(count: number, seed = 1): SpanSpec[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const spans: SpanSpec[] = [];
  for (let i = 0; i < count; i++) {
    const svc = pick(SERVICES);
    const endpoint = pick(svc.endpoints);
    const roll = r();
    if (roll < 0.08) {
      // Inbound HTTP span: never counted.
      spans.push({
        name: `GET ${endpoint}`,
        resource: svc.resource,
        attributes: { 'http.route': endpoint, 'http.request.method': 'GET' },
      });
      continue;
    }
    if (roll < 0.12) {
      // A GenAI span another instrumentation made, not priced by Burnrate: never counted.
      spans.push({
        name: 'chat gpt-4o',
        resource: svc.resource,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 99,
          'gen_ai.usage.output_tokens': 9,
        },
      });
      continue;
    }
    const attribution: Attrs =
      r() < 0.5 ? { 'burnrate.endpoint': endpoint } : { 'http.route': endpoint };
    if (r() < 0.15) attribution['burnrate.team'] = 'growth'; // explicit withAttribution() scope
    if (r() < 0.3) attribution['burnrate.tenant'] = pick(['acme', 'globex', 'initech']);
    if (roll < 0.22) {
      spans.push(vectorSpan(svc.resource, attribution, r, pick, int));
      continue;
    }
    const m = pick(TRAFFIC_MODELS);
    const failed = r() < 0.06;
    const input = int(20, 6000);
    const output = m.operation === 'embeddings' || failed ? 0 : int(5, 1500);
    const attributes: Attrs = {
      ...attribution,
      'gen_ai.operation.name': m.operation,
      'gen_ai.provider.name': m.provider,
      'gen_ai.request.model': m.model,
      'gen_ai.response.model': m.model === 'gpt-4o' ? 'gpt-4o-2024-08-06' : m.model,
      'gen_ai.request.stream': r() < 0.4,
      'gen_ai.usage.input_tokens': input,
    };
    if (m.operation !== 'embeddings') attributes['gen_ai.usage.output_tokens'] = output;
    const cacheRead = m.price?.cacheRead && r() < 0.3 ? int(0, input) : 0;
    const cacheWrite = m.price?.cacheWrite && r() < 0.2 ? int(0, input - cacheRead) : 0;
    if (cacheRead) attributes['gen_ai.usage.cache_read.input_tokens'] = cacheRead;
    if (cacheWrite) attributes['gen_ai.usage.cache_creation.input_tokens'] = cacheWrite;
    if (m.model === 'o3-mini' && output > 0)
      attributes['gen_ai.usage.reasoning.output_tokens'] = int(0, output);
    if (m.price) {
      const p = m.price;
      const inputUsd = ((input - cacheRead - cacheWrite) * p.input) / 1e6;
      const cacheReadUsd = (cacheRead * (p.cacheRead ?? p.input)) / 1e6;
      const cacheWriteUsd = (cacheWrite * (p.cacheWrite ?? p.input)) / 1e6;
      const outputUsd = (output * p.output) / 1e6;
      attributes['burnrate.cost.usd'] = inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd;
      attributes['burnrate.cost.input_usd'] = inputUsd;
      attributes['burnrate.cost.output_usd'] = outputUsd;
      if (cacheRead) attributes['burnrate.cost.cache_read_usd'] = cacheReadUsd;
      if (cacheWrite) attributes['burnrate.cost.cache_write_usd'] = cacheWriteUsd;
      attributes['burnrate.cost.source'] = failed || r() < 0.1 ? 'estimated' : 'usage';
      attributes['burnrate.pricing.model'] = m.model;
    } else {
      attributes['burnrate.cost.source'] = 'unpriced'; // no cost attribute at all, never 0
    }
    spans.push({
      name: `${m.operation} ${m.model}`,
      resource: svc.resource,
      attributes,
      status: failed ? 'error' : 'unset',
    });
  }
  return spans;
}

function vectorSpan(
  resource: Attrs,
  attribution: Attrs,
  r: () => number,
  pick: <T>(xs: T[]) => T,
  int: (lo: number, hi: number) => number,
): SpanSpec {
  const system = pick(['pinecone', 'qdrant', 'chroma']);
  const operation = pick(['query', 'upsert', 'delete']);
  const attributes: Attrs = {
    ...attribution,
    'db.system.name': system,
    'db.operation.name': operation,
    'db.collection.name': 'products',
  };
  if (system === 'pinecone') {
    const readUnits = operation === 'query' ? int(1, 20) : 0;
    const writeUnits = operation === 'query' ? 0 : int(1, 50);
    attributes['burnrate.vectordb.read_units'] = readUnits;
    attributes['burnrate.vectordb.write_units'] = writeUnits;
    // Pinecone serverless list prices: $16 per 1M read units, $4 per 1M write units.
    attributes['burnrate.cost.usd'] = (readUnits * 16 + writeUnits * 4) / 1e6;
    attributes['burnrate.cost.source'] = 'usage';
  } else {
    attributes['burnrate.cost.source'] = 'unpriced';
  }
  return {
    name: `${operation} products`,
    resource,
    attributes,
    status: r() < 0.03 ? 'error' : 'unset',
  };
}
