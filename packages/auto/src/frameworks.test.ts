import { exchange, loadHar, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * Apps whose package.json lists only the frameworks (`@langchain/openai`, `@openai/agents`), as
 * their documentation installs them: `openai` arrives through the frameworks. Every SDK call the
 * frameworks make is one priced span, with the one import.
 */
const apps = appsDir('frameworks');

const h = useAppHarness();

const chatHar = () => loadHar('openai/should-set-attributes-in-span-for-chat.har')[0];
const chunk = (extra: object) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1755182716,
  model: 'gpt-3.5-turbo-0125',
  ...extra,
});
/** A chat completion (recorded) or, when the request streams, a stream with its usage chunk. */
const chatResponder = () =>
  h.replay.respond('POST', '/v1/chat/completions', (req) => {
    if ((req.json as { stream?: boolean }).stream !== true) return chatHar();
    const events = [
      chunk({
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Ha' }, finish_reason: null }],
      }),
      chunk({ choices: [{ index: 0, delta: { content: '!' }, finish_reason: null }] }),
      chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      chunk({ choices: [], usage: { prompt_tokens: 15, completion_tokens: 20, total_tokens: 35 } }),
    ];
    return exchange('POST', 'http://replay/v1/chat/completions', sseBody(events), {
      contentType: 'text/event-stream',
    });
  });
const embeddingResponse = exchange('POST', 'http://replay/v1/embeddings', {
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 8, total_tokens: 8 },
});

const GPT35 = (15 * 0.5 + 20 * 1.5) / 1e6; // gpt-3.5-turbo-0125: $0.50 / M in, $1.50 / M out
const EMBED = (8 * 0.02) / 1e6; // text-embedding-3-small: $0.02 / M
const GPT4O_MINI = (14 * 0.15 + 26 * 0.6) / 1e6; // gpt-4o-mini: $0.15 / M in, $0.60 / M out

describe('LangChain.js (@langchain/openai) with only the framework declared', () => {
  it.each([
    ['ESM, static import', ['langchain.mjs']],
    ['ESM, import() after start', ['langchain-lazy.mjs']],
    ['CommonJS, import() of the ES module', ['langchain-dynamic.cjs']],
    ['ESM, node --import @burnrate/auto', ['--import', '@burnrate/auto', 'langchain.mjs']],
  ])('%s: invoke, stream and embeddings each one exactly priced span', async (_n, args) => {
    chatResponder();
    chatResponder();
    h.replay.add([embeddingResponse]);
    const service = `langchain-${args.join('-')}`;
    const result = await h.runJson(apps, args, service);
    expect(result).toEqual({ invokeTokens: 15, chunks: expect.any(Number), dimensions: 3 });
    const spans = await h.spansOf(service, 3);
    expect(spans).toHaveLength(3);
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.map((s) => s.attributes['gen_ai.request.stream'] === true).sort()).toEqual([
      false,
      true,
    ]);
    for (const s of chats) {
      expect(s.attributes['gen_ai.usage.input_tokens']).toBe(15);
      expect(s.attributes['gen_ai.usage.output_tokens']).toBe(20);
      expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(GPT35, 12);
    }
    const embed = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'embeddings');
    expect(embed?.attributes['gen_ai.usage.input_tokens']).toBe(8);
    expect(embed?.attributes['burnrate.cost.usd']).toBeCloseTo(EMBED, 12);
  });
});

describe('the OpenAI Agents SDK (@openai/agents) with only the framework declared', () => {
  it.each([
    ['ESM', 'agents.mjs'],
    ['CommonJS, import() of the ES module', 'agents.cjs'],
  ])('%s: run() is one exactly priced Responses span', async (_n, app) => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-responses-non-streaming.har'));
    const service = `agents-${app}`;
    expect(await h.runJson(apps, [app], service)).toEqual({ agentOutput: true });
    // The call, and the run's `invoke_agent` span (no cost: agents-sdk.test.ts checks it).
    const spans = await h.spansOf(service, 2);
    expect(spans).toHaveLength(2);
    const priced = spans.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
    expect(priced).toHaveLength(1);
    const a = priced[0].attributes;
    expect(a['gen_ai.agent.name']).toBe('Joker');
    expect(a['gen_ai.provider.name']).toBe('openai');
    expect(a['gen_ai.usage.input_tokens']).toBe(14);
    expect(a['gen_ai.usage.output_tokens']).toBe(26);
    expect(a['burnrate.cost.usd']).toBeCloseTo(GPT4O_MINI, 12);
  });
});

describe('openai imported by the app without being declared (it came with a framework)', () => {
  it('is priced', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    const service = 'openai-undeclared';
    expect(await h.runJson(apps, ['openai-direct.mjs'], service)).toEqual({ chatTokens: 15 });
    const spans = await h.spansOf(service, 1);
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo(GPT35, 12);
  });
});
