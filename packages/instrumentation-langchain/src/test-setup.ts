import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';
import {
  exchange,
  type ReplayServer,
  setupTracing,
  startReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { LangChainInstrumentation } from './index.ts';

/** The package's own devDependencies hold the previous majors; the repository's root the current. */
const own = createRequire(import.meta.url);
const root = createRequire(fileURLToPath(new URL('../../../package.json', import.meta.url)));

export interface LangGraphCopy {
  major: number;
  lg: Record<string, unknown>;
  tools: Record<string, unknown>;
  singletons: Record<string, unknown>;
}

function copy(major: number, require: NodeJS.Require): LangGraphCopy {
  return {
    major,
    lg: require('@langchain/langgraph'),
    tools: require('@langchain/core/tools'),
    singletons: require('@langchain/core/singletons'),
  };
}

/** LangGraph 1.x (with @langchain/core 1.x) and 0.x (with @langchain/core 0.3), side by side. */
export const COPIES = [copy(1, root), copy(0, own)] as const;

export interface Harness {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: LangChainInstrumentation;
  openai(): OpenAI;
}

export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.replay = await startReplayServer();
    const openai = new OpenAIInstrumentation();
    openai.setTracerProvider(h.tracing.provider);
    openai.patchExports('openai', { OpenAI, default: OpenAI });
    h.instrumentation = new LangChainInstrumentation();
    for (const c of COPIES) {
      h.instrumentation.patchExports('@langchain/langgraph', c.lg);
      h.instrumentation.patchExports('@langchain/core/tools', c.tools);
      h.instrumentation.patchExports('@langchain/core/singletons', c.singletons);
    }
    h.openai = () =>
      new OpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1`, maxRetries: 0 });
  });
  afterEach(() => {
    h.tracing.reset();
    h.replay.requests.length = 0;
  });
  afterAll(async () => {
    h.instrumentation.disable();
    await h.replay.close();
    await h.tracing.shutdown();
  });
  return h;
}

/** A chat completion (gpt-4o-mini) with these token counts. */
export function completion(input: number, output: number) {
  return exchange('POST', 'http://replay/v1/chat/completions', {
    id: `chatcmpl-${input}-${output}`,
    object: 'chat.completion',
    created: 1755182716,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  });
}

export const cost = (input: number, output: number) => (input * 0.15 + output * 0.6) / 1e6;
