import { countChatTokens } from '@burnrate/core';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';
import { getDefaultPricer } from '@burnrate/pricing';
import {
  exchange,
  loadHar,
  type ReplayServer,
  setupTracing,
  startReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import OpenAI from 'openai';
import OpenAI6 from 'openai-v6';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { removeBudgetGate } from './gate.ts';

/** Both supported majors of the `openai` SDK. */
export const SDKS = [
  { major: 7, OpenAI },
  { major: 6, OpenAI: OpenAI6 as unknown as typeof OpenAI },
] as const;
export type Sdk = (typeof SDKS)[number];

export interface Harness {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: OpenAIInstrumentation;
  openai(sdk?: Sdk): OpenAI;
}

/** Tracing with Burnrate's processor, a replay server, and the openai instrumentation patched in. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.instrumentation = new OpenAIInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS) h.instrumentation.patchExports('openai', { OpenAI: sdk.OpenAI });
    h.openai = (sdk = SDKS[0]) =>
      new sdk.OpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1`, maxRetries: 0 });
  });
  // A fresh replay server per test: responders a test did not use never answer the next one.
  beforeEach(async () => {
    h.replay = await startReplayServer();
  });
  afterEach(async () => {
    h.tracing.reset();
    removeBudgetGate();
    await h.replay.close();
  });
  afterAll(async () => {
    h.instrumentation.disable();
    await h.tracing.shutdown();
  });
  return h;
}

interface ChatBody {
  model: string;
  max_tokens?: number;
  max_completion_tokens?: number;
  messages: { role: string; content: string }[];
}

/** The recorded chat completion, as a template for answers built from each request. */
const recorded = JSON.parse(
  loadHar('openai/should-set-attributes-in-span-for-chat.har')[0].body.toString('utf8'),
) as Record<string, unknown>;

/**
 * Answers the next `n` chat requests with the recorded completion, its usage made from the
 * request: the prompt as the local tokenizer counts it, and `output(cap)` completion tokens
 * (by default all the cap allowed: the worst case).
 */
export function serveChat(
  replay: ReplayServer,
  n: number,
  output: (cap: number) => number = (cap) => cap,
): void {
  for (let i = 0; i < n; i++) {
    replay.respond('POST', '/v1/chat/completions', (req) => {
      const body = req.json as ChatBody;
      const prompt = countChatTokens(body.messages, body.model);
      const completion = output(body.max_completion_tokens ?? body.max_tokens ?? 500);
      return exchange('POST', `${replay.url}/v1/chat/completions`, {
        ...recorded,
        model: body.model,
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
        },
      });
    });
  }
}

/** Answers the next request with a server error (the call fails after its reservation). */
export function failChat(replay: ReplayServer): void {
  replay.respond('POST', '/v1/chat/completions', () =>
    exchange(
      'POST',
      `${replay.url}/v1/chat/completions`,
      { error: { message: 'boom' } },
      { status: 500 },
    ),
  );
}

export const MESSAGES = [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }];

/** What a chat call costs by the catalog, for expectations computed independently of the gate. */
export function catalogCost(model: string, input: number, output: number): number {
  const cost = getDefaultPricer().priceModelCall({
    provider: 'openai',
    model,
    tokens: { input, output },
  });
  if (!cost) throw new Error(`no catalog price for ${model}`);
  return cost.totalUsd;
}

export const promptTokens = (model: string) => countChatTokens(MESSAGES, model);
