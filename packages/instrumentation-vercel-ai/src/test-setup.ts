import { BurnrateSpanProcessor } from '@burnrate/core';
import {
  exchange,
  type RecordedExchange,
  type ReplayServer,
  sseBody,
  startReplayServer,
} from '@burnrate/test-utils';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { registerAiSdkUsage } from './index.ts';

/** `@ai-sdk/otel`'s OpenTelemetry integration, loaded after the hook above. */
export async function otelIntegration(): Promise<object> {
  const { OpenTelemetry } = await import('@ai-sdk/otel');
  return new OpenTelemetry();
}

/** OpenAI's Chat Completions stream of the answer "4", its last chunk carrying `usage`. */
export function chatStreamExchange(usage: Record<string, unknown>): RecordedExchange {
  const base = {
    id: 'chatcmpl-s',
    object: 'chat.completion.chunk',
    created: 1763906400,
    model: 'gpt-4o-mini-2024-07-18',
  };
  return exchange(
    'POST',
    'https://api.openai.com/v1/chat/completions',
    sseBody([
      {
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '4' }, finish_reason: null }],
      },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...base, choices: [], usage },
    ]),
    { contentType: 'text/event-stream' },
  );
}

export interface Harness {
  replay: ReplayServer;
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  /** The spans that carry a cost decision (`burnrate.cost.source`). */
  priced(): ReadableSpan[];
}

/** A global tracer provider as `@burnrate/auto` sets it up: Burnrate's processors, in-memory export. */
export function useHarness(): Harness {
  const h = {} as Harness;
  let provider: TracerProvider;
  beforeAll(async () => {
    registerAiSdkUsage();
    h.exporter = new InMemorySpanExporter();
    provider = new TracerProvider({
      spanProcessors: [
        new BurnrateSpanProcessor(),
        new SimpleSpanProcessor({ exporter: h.exporter }),
      ],
    });
    trace.disable();
    context.disable();
    const cm = new AsyncLocalStorageContextManager();
    cm.enable();
    context.setGlobalContextManager(cm);
    trace.setGlobalTracerProvider(provider);
    h.spans = () => h.exporter.getFinishedSpans();
    h.priced = () => h.spans().filter((s) => s.attributes['burnrate.cost.source'] !== undefined);
    h.replay = await startReplayServer();
  });
  afterEach(() => {
    h.exporter.reset();
    h.replay.requests.length = 0;
  });
  afterAll(async () => {
    await h.replay.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
  });
  return h;
}

/** Sum of `burnrate.cost.usd` over all spans: what the Collector would count for the call. */
export function totalCost(spans: readonly ReadableSpan[]): number {
  return spans.reduce((sum, s) => sum + (Number(s.attributes['burnrate.cost.usd']) || 0), 0);
}

/** Waits (up to 2 s) until `check` holds: stream spans end when the AI SDK finishes its bookkeeping. */
export async function eventually(check: () => boolean): Promise<void> {
  for (let waited = 0; !check() && waited < 2000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));
}
