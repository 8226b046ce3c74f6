import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { currentAgentRun, withAgentRun } from './agent-run.ts';
import { withAttribution, withFrameworkAgent } from './attribution.ts';
import { costAttributes, recordModelUsage } from './cost.ts';
import { traceModelCall } from './model-call.ts';
import { useProcessorTracing } from './test-support/tracing.ts';

/**
 * Agent runs: every priced call in a run gets the run's id and its step; one `invoke_agent` span
 * carries the run's totals after it ends; framework facts attribute calls, explicit ones win.
 */
const { exporter, tracer } = useProcessorTracing({ global: true });

const tokens = (step: number) => ({ input: 1000 * step, output: 100 });
const usd = (step: number) =>
  Number(
    costAttributes({
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      tokens: tokens(step),
      source: 'usage',
    })['burnrate.cost.usd'],
  );

async function modelCall(step: number, model = 'gpt-4o-mini'): Promise<void> {
  await traceModelCall({
    tracer,
    name: `chat ${model}`,
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
    request: {},
    gate: {
      provider: 'openai',
      operation: 'chat',
      model,
      maxOutputTokens: 0,
      estimateInputTokens: () => 0,
    },
    applyGate: (r) => r,
    call: async () => ({ tokens: tokens(step) }),
    onResult: (call, value) => {
      recordModelUsage(call.span, {
        provider: 'openai',
        requestModel: model,
        tokens: value.tokens,
        source: 'usage',
      });
      return undefined;
    },
  });
}

const tick = () => new Promise((r) => setImmediate(r));
const a = (s: ReadableSpan, k: string) => s.attributes[k];
const runSpans = () =>
  exporter.getFinishedSpans().filter((s) => a(s, 'gen_ai.operation.name') === 'invoke_agent');
const calls = () =>
  exporter.getFinishedSpans().filter((s) => a(s, 'gen_ai.operation.name') === 'chat');

describe('agent runs', () => {
  it('numbers the calls of a run and sums them, exactly, on one invoke_agent span', async () => {
    await withAgentRun({ agent: 'planner', conversation: 'thread-7' }, async () => {
      await modelCall(1);
      await withFrameworkAgent({ agent: 'researcher', tool: 'web_search' }, () => modelCall(2));
      // A nested run joins the outer one.
      await withAgentRun({ agent: 'writer' }, () => modelCall(3));
    });
    await tick();
    const c = calls();
    expect(c.map((s) => a(s, 'burnrate.run.step'))).toEqual([1, 2, 3]);
    expect(new Set(c.map((s) => a(s, 'burnrate.run.id'))).size).toBe(1);
    expect(c.map((s) => a(s, 'gen_ai.agent.name'))).toEqual(['planner', 'researcher', 'writer']);
    expect(c.map((s) => a(s, 'gen_ai.tool.name'))).toEqual([undefined, 'web_search', undefined]);
    expect(c.every((s) => a(s, 'gen_ai.conversation.id') === 'thread-7')).toBe(true);
    const [run] = runSpans();
    expect(runSpans()).toHaveLength(1);
    expect(run.name).toBe('invoke_agent planner');
    expect(a(run, 'burnrate.run.id')).toBe(a(c[0], 'burnrate.run.id'));
    expect(a(run, 'burnrate.run.calls')).toBe(3);
    expect(a(run, 'burnrate.run.cost_usd')).toBeCloseTo(usd(1) + usd(2) + usd(3), 15);
    expect(a(run, 'burnrate.run.input_tokens')).toBe(6000);
    expect(a(run, 'burnrate.run.output_tokens')).toBe(300);
    // The run span is never spend: no cost mark, no token counts.
    expect(a(run, 'burnrate.cost.source')).toBeUndefined();
    expect(a(run, 'gen_ai.usage.input_tokens')).toBeUndefined();
    expect(run.startTime[0] * 1e3 + run.startTime[1] / 1e6).toBeLessThanOrEqual(
      c[0].startTime[0] * 1e3 + c[0].startTime[1] / 1e6,
    );
  });

  it('a streamed run stays open until `until` settles, and returns the caller the same object', async () => {
    let go!: () => void;
    const goSignal = new Promise<void>((r) => {
      go = r;
    });
    let streamed!: Promise<void>;
    const result = { completed: Promise.resolve() };
    const returned = await withAgentRun(
      { agent: 'streamer' },
      async () => {
        // The stream's work goes on after run() returned, in the run's context.
        streamed = (async () => {
          await goSignal;
          await modelCall(1);
          await tick();
          await modelCall(2);
        })();
        result.completed = streamed;
        return result;
      },
      { until: (r) => r.completed },
    );
    expect(returned).toBe(result);
    await tick();
    await tick();
    expect(runSpans()).toHaveLength(0);
    go();
    await streamed;
    await tick();
    await tick();
    expect(calls().map((s) => a(s, 'burnrate.run.step'))).toEqual([1, 2]);
    expect(runSpans()).toHaveLength(1);
    expect(a(runSpans()[0], 'burnrate.run.calls')).toBe(2);
  });

  it('explicit attribution wins over the framework, at any depth; framework facts never overwrite', async () => {
    await withAttribution({ agent: 'billing-bot' }, () =>
      withAgentRun({ agent: 'FrameworkAgent' }, () =>
        withFrameworkAgent({ agent: 'Inner', tool: 'lookup' }, () => modelCall(1)),
      ),
    );
    await tick();
    expect(a(calls()[0], 'gen_ai.agent.name')).toBe('billing-bot');
    expect(a(calls()[0], 'gen_ai.tool.name')).toBe('lookup');
    expect(a(runSpans()[0], 'gen_ai.agent.name')).toBe('billing-bot');
  });

  it('no run span for a run without model calls; errors pass through unchanged; no run outside', async () => {
    const boom = new Error('tool failed');
    await expect(
      withAgentRun({ agent: 'x' }, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(() =>
      withAgentRun({ agent: 'y' }, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(withAgentRun({ agent: 'z' }, () => 42)).toBe(42);
    expect(currentAgentRun()).toBeUndefined();
    await modelCall(1);
    await tick();
    expect(runSpans()).toHaveLength(0);
    expect(a(calls()[0], 'burnrate.run.id')).toBeUndefined();
  });

  it('concurrent runs keep their own steps and totals', async () => {
    await Promise.all(
      ['a', 'b'].map((agent) =>
        withAgentRun({ agent }, async () => {
          await modelCall(1);
          await modelCall(2);
        }),
      ),
    );
    await tick();
    const runs = runSpans();
    expect(runs.map((r) => a(r, 'burnrate.run.calls'))).toEqual([2, 2]);
    for (const r of runs) expect(a(r, 'burnrate.run.cost_usd')).toBeCloseTo(usd(1) + usd(2), 15);
    const byRun = new Map<unknown, unknown[]>();
    for (const s of calls()) {
      const id = a(s, 'burnrate.run.id');
      byRun.set(id, [...(byRun.get(id) ?? []), a(s, 'burnrate.run.step')]);
    }
    expect([...byRun.values()]).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});
