// LlamaIndex.TS agents the test apps run; each scenario prints what the app saw. The entry
// hands in the modules it loaded (ESM import or CommonJS require): `workflow` is
// `@llamaindex/workflow`, `llamaindex` is `llamaindex`, `openai` is `@llamaindex/openai`.
import { withBudget } from '@burnrate/budget';
import { z } from 'zod';

export function scenarios({ workflow, llamaindex, openai }) {
  const llm = () => openai.openai({ model: 'gpt-4o-mini', maxRetries: 0 });
  const { agent, agentToolCallEvent, multiAgent } = workflow;

  /**
   * A tool whose execution itself calls the model (a summarizer), so that call is the tool's. It
   * does some I/O first (a timer), as tools do: no span is open meanwhile.
   */
  const lookupWeather = () =>
    llamaindex.tool({
      name: 'lookup_weather',
      description: 'Weather of a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        const summary = await llm().complete({ prompt: `Summarize the weather in ${city}` });
        return summary.text;
      },
    });

  const weatherAgent = () => agent({ name: 'weather_agent', llm: llm(), tools: [lookupWeather()] });

  /** `agent(...).run()`: model → tool (which calls the model) → model. */
  async function run() {
    const result = await weatherAgent().run('Weather in Paris?');
    return { result: result.data.result };
  }

  /** `runStream()`, read to the end with `for await`. */
  async function stream() {
    let toolCalls = 0;
    for await (const event of weatherAgent().runStream('Weather in Paris?')) {
      if (agentToolCallEvent.include(event)) toolCalls++;
    }
    return { toolCalls };
  }

  /** `multiAgent`: a triage agent hands off to the weather agent. */
  async function multi() {
    const triage = agent({
      name: 'triage',
      description: 'Routes questions',
      llm: llm(),
      canHandoffTo: ['weather_agent'],
    }).getAgents()[0];
    const weather = weatherAgent().getAgents()[0];
    const team = multiAgent({ agents: [triage, weather], rootAgent: triage });
    const result = await team.run('Weather in Paris?');
    return { result: result.data.result };
  }

  /** The older `ReActAgent` (an `AgentRunner`): `chat()` reasons in text, then calls the tool. */
  async function react() {
    const agent = new llamaindex.ReActAgent({ llm: llm(), tools: [lookupWeather()] });
    const response = await agent.chat({ message: 'Weather in Paris?' });
    // The agent's last message, in ReAct's format: `Thought: …\nAnswer: …`.
    return { result: String(response.message.content).split('Answer:').pop().trim() };
  }

  /** `withBudget({ agent })` around the run: the explicit agent wins over LlamaIndex's names. */
  async function budget() {
    return withBudget({ agent: 'explicit_agent' }, () => run());
  }

  return { run, stream, multi, react, budget };
}

export function print(results) {
  console.log(JSON.stringify(results));
}
