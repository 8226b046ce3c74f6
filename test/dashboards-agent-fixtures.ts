// Agent traffic for the dashboards' query check, shaped like the agent contract
// (/docs/contract.md, "Agents"): model-call spans inside a run (gen_ai.agent.name,
// gen_ai.tool.name, burnrate.run.id, burnrate.run.step), one `invoke_agent` run span per run, and
// a call the agent breaker marked (record mode), as @burnrate/core writes them.
import type { Attrs, SpanSpec } from './harness/spans.ts';

type Where = { service: string; environment: string; team: string; endpoint: string };

type AgentCall = {
  agent: string;
  tool?: string;
  provider: string;
  model: string;
  operation?: string;
  input: number;
  output?: number;
  costUsd: number;
  breaker?: Attrs;
};

/** Catalog-like prices per million tokens (input, output): gpt-4.1-mini, claude-sonnet-4-5, embeddings. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4.1-mini': [0.4, 1.6],
  'claude-sonnet-4-5': [3, 15],
  'text-embedding-3-small': [0.02, 0],
};

function call(agent: string, model: string, input: number, output: number, tool?: string) {
  const [inPrice, outPrice] = PRICES[model];
  const embeddings = model.startsWith('text-embedding');
  return {
    agent,
    tool,
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    model,
    operation: embeddings ? 'embeddings' : 'chat',
    input,
    output: embeddings ? undefined : output,
    costUsd: (input * inPrice + output * outPrice) / 1e6,
  } satisfies AgentCall;
}

/** The model-call spans of one run and its run span (emitted last, as the run finalizes). */
function runSpans(where: Where, runId: string, topAgent: string, calls: AgentCall[]): SpanSpec[] {
  const resource = {
    'service.name': where.service,
    'deployment.environment.name': where.environment,
  };
  const attribution = { 'burnrate.team': where.team, 'burnrate.endpoint': where.endpoint };
  const spans: SpanSpec[] = calls.map((c, i) => {
    const operation = c.operation ?? 'chat';
    const attributes: Attrs = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': c.provider,
      'gen_ai.request.model': c.model,
      'gen_ai.usage.input_tokens': c.input,
      'burnrate.cost.source': 'usage',
      'burnrate.cost.usd': c.costUsd,
      ...attribution,
      'gen_ai.agent.name': c.agent,
      'gen_ai.conversation.id': `${runId}-thread`,
      'burnrate.run.id': runId,
      'burnrate.run.step': i + 1,
      ...(c.output === undefined ? {} : { 'gen_ai.usage.output_tokens': c.output }),
      ...(c.tool ? { 'gen_ai.tool.name': c.tool } : {}),
      ...c.breaker,
    };
    return { name: `${operation} ${c.model}`, resource, attributes };
  });
  const sum = (f: (c: AgentCall) => number): number => calls.reduce((t, c) => t + f(c), 0);
  spans.push({
    name: `invoke_agent ${topAgent}`,
    resource,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': topAgent,
      'burnrate.run.id': runId,
      'burnrate.run.cost_usd': sum((c) => c.costUsd),
      'burnrate.run.calls': calls.length,
      'burnrate.run.unpriced_calls': 0,
      'burnrate.run.input_tokens': sum((c) => c.input),
      'burnrate.run.output_tokens': sum((c) => c.output ?? 0),
      ...attribution,
    },
  });
  return spans;
}

let runs = 0;

/**
 * One round of agent traffic in one environment of search-api (team search, GET /v1/search):
 * - a research run: planner → researcher, whose `web_search` tool makes an embeddings call and a
 *   summarising call → writer (5 calls, steps 1, 2, 2, 4, 4);
 * - a runaway coder run: 33 calls whose input grows with every step (steps 1 … 32+), the 33rd
 *   marked by the breaker in record mode (kind steps, limit 32).
 */
export function agentRound(where: Where): SpanSpec[] {
  const research = [
    call('planner', 'gpt-4.1-mini', 600, 80),
    call('researcher', 'claude-sonnet-4-5', 2400, 300),
    call('researcher', 'text-embedding-3-small', 500, 0, 'web_search'),
    call('researcher', 'claude-sonnet-4-5', 3200, 200, 'web_search'),
    call('writer', 'gpt-4.1-mini', 4200, 500),
  ];
  const coder: AgentCall[] = Array.from({ length: 33 }, (_, i) =>
    call('coder', 'gpt-4.1-mini', 300 + 250 * i, 60, i % 3 === 2 ? 'run_tests' : undefined),
  );
  coder[32].breaker = {
    'burnrate.breaker.kind': 'steps',
    'burnrate.breaker.mode': 'record',
    'burnrate.breaker.limit': 32,
    'burnrate.breaker.value': 33,
  };
  runs++;
  return [
    ...runSpans(where, `run-${where.environment}-${runs}-research`, 'planner', research),
    ...runSpans(where, `run-${where.environment}-${runs}-coder`, 'coder', coder),
  ];
}

/** Every agent the fixture names, and `unassigned` for the calls outside any agent. */
export const fixtureAgents = ['coder', 'planner', 'researcher', 'unassigned', 'writer'];

/** Dollars of one run of each top-level agent (the run span's burnrate.run.cost_usd). */
export function fixtureRunCosts(): Record<string, number> {
  const where = { service: 's', environment: 'e', team: 't', endpoint: 'x' };
  return Object.fromEntries(
    agentRound(where)
      .filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent')
      .map((s) => [
        String(s.attributes['gen_ai.agent.name']),
        Number(s.attributes['burnrate.run.cost_usd']),
      ]),
  );
}
