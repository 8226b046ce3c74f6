import { currentAgentFacts, currentAgentRun } from '@burnrate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaIndexInstrumentation } from './index.ts';
import { patchToolCall } from './legacy.ts';

/** Stand-ins of the shapes the instrumentation reads; the real packages run in packages/auto. */
class FunctionAgent {
  name: unknown = 'helper';
  async takeStep() {
    return currentAgentFacts();
  }
  async getStructuredOutput() {
    return currentAgentFacts();
  }
}
class AgentWorkflow {
  rootAgentName: unknown = 'root';
  runStream(): unknown {
    return { notAStream: true, run: currentAgentRun()?.agent };
  }
  async run(): Promise<unknown> {
    return currentAgentRun()?.agent;
  }
  async callTool(_call: unknown): Promise<unknown> {
    return currentAgentFacts();
  }
}
class Broken {
  rootAgentName = 42;
  async run(): Promise<never> {
    throw new Error('workflow failed');
  }
}

// One instrumentation for the file: a patched prototype stays patched (by the first one).
const instrumentation = new LlamaIndexInstrumentation();
instrumentation.patchExports('@llamaindex/workflow', { AgentWorkflow, FunctionAgent });
afterAll(() => instrumentation.disable());

describe('LlamaIndex instrumentation: reads only what is there, changes nothing else', () => {
  it('patches nothing, and throws nothing, on exports of another shape', () => {
    const i = new LlamaIndexInstrumentation();
    for (const exports of [undefined, null, 5, {}, { AgentWorkflow: 5, FunctionAgent: 'x' }]) {
      expect(() => i.patchExports('@llamaindex/workflow', exports)).not.toThrow();
    }
  });

  it('runs are named after the root agent; agents and tools name their calls', async () => {
    const wf = new AgentWorkflow();
    expect(await wf.run()).toBe('root');
    expect(await wf.callTool({ toolName: 'search', agentName: 'helper' })).toMatchObject({
      tool: 'search',
      agent: 'helper',
    });
    expect(await new FunctionAgent().takeStep()).toMatchObject({ agent: 'helper' });
    expect(await new FunctionAgent().getStructuredOutput()).toMatchObject({ agent: 'helper' });
  });

  it('a runStream result that is no stream comes back as it was; odd values are ignored', async () => {
    expect(new AgentWorkflow().runStream()).toEqual({ notAStream: true, run: 'root' });
    const agent = new FunctionAgent();
    agent.name = { not: 'a string' };
    expect((await agent.takeStep()).agent).toBeUndefined();
    expect(await new AgentWorkflow().callTool(undefined)).toEqual(currentAgentFacts());
  });

  it("the framework's errors reach the caller unchanged", async () => {
    instrumentation.patchExports('@llamaindex/workflow', { AgentWorkflow: Broken });
    await expect(new Broken().run()).rejects.toThrow('workflow failed');
  });

  it("a FunctionTool's call runs as its tool, and returns what the tool returns", () => {
    // As LlamaIndex builds it: `call` assigned in the constructor (no class field).
    class FunctionTool {
      declare call: (input: unknown) => unknown;
      #name: string;
      constructor(name: string) {
        this.#name = name;
        this.call = (input) => ({ input, facts: currentAgentFacts() });
      }
      get metadata() {
        return { name: this.#name };
      }
    }
    expect(patchToolCall(FunctionTool, () => true)).toBe(true);
    expect(patchToolCall(FunctionTool, () => true)).toBe(false); // once
    expect(new FunctionTool('search').call(1)).toEqual({ input: 1, facts: { tool: 'search' } });
    expect(new FunctionTool('').call(2)).toEqual({ input: 2, facts: {} });
    class Other {
      call = () => 'own';
    }
    expect(patchToolCall(Other, () => true)).toBe(false); // no metadata getter: left alone
    expect(new Other().call()).toBe('own');
  });
});
