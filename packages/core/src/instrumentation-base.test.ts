import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BurnrateInstrumentation, type ModelMethod } from './instrumentation-base.ts';
import type { ModelCallOptions } from './model-call.ts';

/** A stand-in SDK resource: `create` answers with what it was called with. */
class Resource {
  create(
    ...args: unknown[]
  ): Promise<{ args: unknown[]; usage: { input: number; output: number } }> {
    return Promise.resolve({ args, usage: { input: 100, output: 10 } });
  }
}

type Prepare = 'trace' | 'throw' | 'skip';

class TestInstrumentation extends BurnrateInstrumentation {
  prepare: Prepare = 'trace';
  get modules() {
    return [{ name: 'stand-in-sdk', versions: ['*'] }];
  }
  constructor() {
    super('@burnrate/test-instrumentation', '0.0.0', { enabled: false });
  }
  patchExports(): void {
    this.wrapModelMethod<Resource>(Resource.prototype, 'create', (self, method, request) =>
      this.#prepare(self, method, request),
    );
  }
  #prepare(
    self: Resource,
    method: ModelMethod<Resource>,
    request: unknown,
  ): ModelCallOptions<unknown, unknown> | undefined {
    if (this.prepare === 'throw') throw new Error('cannot read this request');
    if (this.prepare === 'skip') return undefined;
    return {
      tracer: this.tracer,
      name: 'chat gpt-4o-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      },
      request,
      gate: {
        provider: 'openai',
        operation: 'chat',
        model: 'gpt-4o-mini',
        maxOutputTokens: undefined,
        estimateInputTokens: () => 0,
      },
      applyGate: (r) => r,
      call: (sent) => method.call(self, sent),
      onResult: (call) => {
        call.span.setAttribute('gen_ai.usage.input_tokens', 100);
        return undefined;
      },
    };
  }
}

const exporter = new InMemorySpanExporter();
const instrumentation = new TestInstrumentation();
instrumentation.setTracerProvider(
  new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
);
instrumentation.patchExports();

beforeAll(() => {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
});
afterEach(() => {
  exporter.reset();
  instrumentation.prepare = 'trace';
  instrumentation.disable();
});
afterAll(() => context.disable());

describe('wrapModelMethod', () => {
  it('traces each call while enabled, and the caller gets what the method returned', async () => {
    instrumentation.enable();
    const out = await new Resource().create({ model: 'gpt-4o-mini' });
    expect(out.args).toEqual([{ model: 'gpt-4o-mini' }]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBe(100);
  });

  it('calls the method untraced, with exactly the caller’s arguments, when preparing throws or declines', async () => {
    instrumentation.enable();
    for (const prepare of ['throw', 'skip'] as const) {
      instrumentation.prepare = prepare;
      expect((await new Resource().create({ a: 1 })).args).toEqual([{ a: 1 }]);
      expect((await new Resource().create({ a: 1 }, { timeout: 5 }, 'third')).args).toEqual([
        { a: 1 },
        { timeout: 5 },
        'third',
      ]);
    }
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('is a pass-through while disabled', async () => {
    expect((await new Resource().create('x')).args).toEqual(['x']);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
