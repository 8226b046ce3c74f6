import { attributionScope, currentAgentFacts, currentAgentRun } from '@burnrate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaIndexInstrumentation } from './index.ts';

/**
 * Hooks called inside the run they would join: `run` reads its own `runStream`, an agent's steps
 * run inside its workflow's run. The run in force is kept as it is: no second scope with the same
 * facts, no watcher on a stream whose end ends no run.
 */
class Stream {
  piped = 0;
  pipeThrough(): Stream {
    this.piped++;
    return new Stream();
  }
  getReader(): unknown {
    return {};
  }
}
class FunctionAgent {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  async takeStep(): Promise<unknown> {
    return { scope: attributionScope(), facts: currentAgentFacts() };
  }
}
class AgentWorkflow {
  rootAgentName = 'root';
  made: Stream[] = [];
  runStream(): Stream {
    const stream = new Stream();
    this.made.push(stream);
    return stream;
  }
  async run(agent = 'root'): Promise<unknown> {
    const stream = this.runStream();
    const outer = attributionScope();
    const step = (await new FunctionAgent(agent).takeStep()) as { scope: unknown; facts: object };
    return { stream, outer, step, run: currentAgentRun()?.agent };
  }
}

const instrumentation = new LlamaIndexInstrumentation();
instrumentation.patchExports('@llamaindex/workflow', { AgentWorkflow, FunctionAgent });
afterAll(() => instrumentation.disable());

describe('LlamaIndex hooks inside their own run', () => {
  it('run() gets the stream its runStream made, unwatched; the run is the root agent', async () => {
    const wf = new AgentWorkflow();
    const out = (await wf.run()) as { stream: Stream; run: string };
    expect(out.run).toBe('root');
    expect(out.stream).toBe(wf.made[0]);
    expect(out.stream.piped).toBe(0);
  });

  it('a step of the agent in force runs in the same scope; another agent gets its own', async () => {
    const same = (await new AgentWorkflow().run()) as {
      outer: unknown;
      step: { scope: unknown; facts: object };
    };
    expect(same.step.scope).toBe(same.outer);
    expect(same.step.facts).toEqual({ agent: 'root' });
    const other = (await new AgentWorkflow().run('helper')) as {
      outer: unknown;
      step: { scope: unknown; facts: object };
    };
    expect(other.step.scope).not.toBe(other.outer);
    expect(other.step.facts).toEqual({ agent: 'helper' });
  });

  it('runStream() on its own is a run that watches its stream', () => {
    const wf = new AgentWorkflow();
    const out = wf.runStream();
    expect(wf.made[0].piped).toBe(1);
    expect(out).not.toBe(wf.made[0]);
  });
});
