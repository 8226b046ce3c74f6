import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { BudgetSpanProcessor, removeBudgetGate, withBudget } from './index.ts';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({
  spanProcessors: [new BudgetSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
const cm = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(cm);
afterAll(async () => {
  removeBudgetGate();
  await provider.shutdown();
  context.disable();
});

describe('BudgetSpanProcessor', () => {
  it('puts session.id and gen_ai.agent.name on every span started in the scope, not only model calls', async () => {
    const tracer = provider.getTracer('test');
    await withBudget({ session: 'sess-1', agent: 'planner' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      tracer.startSpan('db query').end();
      tracer.startSpan('own value', { attributes: { 'session.id': 'explicit' } }).end();
    });
    tracer.startSpan('outside').end();
    const byName = Object.fromEntries(
      exporter.getFinishedSpans().map((s) => [s.name, s.attributes]),
    );
    expect(byName['db query']).toMatchObject({
      'session.id': 'sess-1',
      'gen_ai.agent.name': 'planner',
    });
    expect(byName['own value']['session.id']).toBe('explicit');
    expect(byName.outside['session.id']).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
