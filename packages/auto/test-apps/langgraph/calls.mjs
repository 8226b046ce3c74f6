// LangGraph agents the test apps run; each scenario prints what the app saw.
// `lg` is `@langchain/langgraph`, `prebuilt` its `/prebuilt`, `tools` `@langchain/core/tools`.
import { z } from 'zod';

const MODEL = 'gpt-4o-mini';

/** A tool whose execution itself calls the model (a summarizer), so that call is the tool's. */
function lookupTool({ tool }, makeModel) {
  return tool(
    async ({ city }) => {
      const inner = makeModel();
      const summary = await inner.invoke(`Summarize the weather in ${city}`);
      return String(summary.content);
    },
    {
      name: 'lookup_weather',
      description: 'Weather of a city',
      schema: z.object({ city: z.string() }),
    },
  );
}

/** A ReAct agent (createReactAgent, named): model → tool (which calls the model) → model. */
export function weatherAgent({ prebuilt, tools }, { ChatOpenAI }, name = 'weather_agent') {
  const makeModel = () => new ChatOpenAI({ model: MODEL, maxRetries: 0 });
  return prebuilt.createReactAgent({
    llm: makeModel(),
    tools: [lookupTool(tools, makeModel)],
    name,
  });
}

/** The same agent on Claude (`@langchain/anthropic`, which brings its own `@anthropic-ai/sdk`). */
export async function claudeInvoke({ prebuilt, tools }, { ChatAnthropic }) {
  const makeModel = () =>
    new ChatAnthropic({
      model: 'claude-haiku-4-5-20251001',
      maxRetries: 0,
      anthropicApiUrl: process.env.ANTHROPIC_BASE_URL,
    });
  const agent = prebuilt.createReactAgent({
    llm: makeModel(),
    tools: [lookupTool(tools, makeModel)],
    name: 'claude_agent',
  });
  const out = await agent.invoke(ask('Weather in Paris?'), {
    configurable: { thread_id: 'thread-claude' },
  });
  return { messages: out.messages.length };
}

/** LangChain 1's `createAgent` (from `langchain`, a LangGraph graph underneath), named. */
export async function createAgentInvoke({ langchain, tools }, { ChatOpenAI }) {
  const makeModel = () => new ChatOpenAI({ model: MODEL, maxRetries: 0 });
  const agent = langchain.createAgent({
    model: makeModel(),
    tools: [lookupTool(tools, makeModel)],
    name: 'support_agent',
  });
  const out = await agent.invoke(ask('Weather in Paris?'), {
    configurable: { thread_id: 'thread-create-agent' },
  });
  return { messages: out.messages.length };
}

const ask = (text) => ({ messages: [{ role: 'user', content: text }] });

export async function reactInvoke(mods, openai) {
  const agent = weatherAgent(mods, openai);
  const out = await agent.invoke(ask('Weather in Paris?'), {
    configurable: { thread_id: 'thread-invoke' },
  });
  return { messages: out.messages.length };
}

export async function reactStream(mods, openai) {
  const agent = weatherAgent(mods, openai);
  let chunks = 0;
  const stream = await agent.stream(ask('Weather in Paris?'), {
    configurable: { thread_id: 'thread-stream' },
  });
  for await (const _ of stream) chunks++;
  return { chunks };
}

/** An unnamed StateGraph with two nodes that each call the model: the nodes name the agents. */
export async function customGraph({ lg }, { ChatOpenAI }) {
  const llm = new ChatOpenAI({ model: MODEL, maxRetries: 0 });
  const State = lg.Annotation.Root({
    notes: lg.Annotation({ reducer: (a, b) => a.concat(b), default: () => [] }),
  });
  const node = (prompt) => async () => ({ notes: [String((await llm.invoke(prompt)).content)] });
  const graph = new lg.StateGraph(State)
    .addNode('researcher', node('Research Paris'))
    .addNode('writer', node('Write about Paris'))
    .addEdge(lg.START, 'researcher')
    .addEdge('researcher', 'writer')
    .addEdge('writer', lg.END)
    .compile();
  const out = await graph.invoke({}, { configurable: { thread_id: 'thread-custom' } });
  return { notes: out.notes.length };
}

/** The same ReAct agent inside withBudget({ agent }): the explicit agent wins. */
export async function budgeted(mods, openai, { withBudget }) {
  const agent = weatherAgent(mods, openai);
  const out = await withBudget({ agent: 'explicit_agent', maxUsd: 1 }, () =>
    agent.invoke(ask('Weather in Paris?'), { configurable: { thread_id: 'thread-budget' } }),
  );
  return { messages: out.messages.length };
}

export function print(result) {
  console.log(JSON.stringify(result));
}

/**
 * A ReAct agent that never stops: the (replayed) model always asks for the same tool call. The
 * breaker (configured by env) refuses the call that trips it; LangGraph hands that error back.
 */
export async function loop({ prebuilt, tools }, { ChatOpenAI }) {
  const weather = tools.tool(async () => 'Sunny', {
    name: 'lookup_weather',
    description: 'Weather of a city',
    schema: z.object({ city: z.string() }),
  });
  const agent = prebuilt.createReactAgent({
    llm: new ChatOpenAI({ model: MODEL, maxRetries: 0 }),
    tools: [weather],
    name: 'looping_agent',
  });
  try {
    await agent.invoke(ask('Weather in Paris?'), {
      recursionLimit: 1000,
      configurable: { thread_id: 'thread-loop' },
    });
    return { error: null };
  } catch (error) {
    return { error: error?.name, kind: error?.kind, message: String(error?.message).slice(0, 200) };
  }
}
