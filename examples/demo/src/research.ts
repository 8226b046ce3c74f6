import {
  Agent,
  OpenAIChatCompletionsModel,
  Runner,
  setTraceProcessors,
  tool,
} from '@openai/agents';
import type OpenAI from 'openai';

/**
 * A small multi-agent flow on the OpenAI Agents SDK, as its docs build one, with no Burnrate code:
 * a planner hands off to a researcher, whose `web_search` tool embeds the question and has a model
 * summarise the "results", then hands off to a writer. One run makes six model calls (planner,
 * researcher twice, the tool's embeddings and chat calls, writer) through the same `openai`
 * client as the rest of the service, so @burnrate/auto prices each one; the framework hooks name
 * the agent, the tool and the run.
 */
export function researchFlow(openai: OpenAI): (question: string) => Promise<string> {
  // The SDK exports its own traces to OpenAI's platform; the demo is offline. Tracing stays on
  // (the SDK keeps its agent/handoff/tool spans in context), with no processor exporting them.
  setTraceProcessors([]);
  const model = (name: string) => new OpenAIChatCompletionsModel(openai, name);
  const webSearch = tool({
    name: 'web_search',
    description: 'Search the web and summarise what the top results say.',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'What to search for' } },
      required: ['query'],
      additionalProperties: false,
    },
    strict: true,
    async execute(input) {
      const { query } = input as { query: string };
      await openai.embeddings.create({ model: 'text-embedding-3-small', input: [query] });
      const r = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Summarise these search results in three sentences.' },
          { role: 'user', content: `Results for "${query}": ${'a page about costs. '.repeat(40)}` },
        ],
      });
      return r.choices[0]?.message.content ?? '';
    },
  });
  const writer = new Agent({
    name: 'writer',
    instructions: 'Write a short, plain answer from the research notes.',
    model: model('gpt-4o-mini'),
  });
  const researcher = new Agent({
    name: 'researcher',
    instructions: 'Research the question with web_search, then hand off to the writer.',
    model: model('gpt-4.1-mini'),
    tools: [webSearch],
    handoffs: [writer],
  });
  const planner = new Agent({
    name: 'planner',
    instructions: 'Plan how to answer the question, then hand off to the researcher.',
    model: model('gpt-4o-mini'),
    handoffs: [researcher],
  });
  const runner = new Runner({ workflowName: 'demo research' });
  return async (question) => {
    const result = await runner.run(planner, question, { maxTurns: 8 });
    return String(result.finalOutput ?? '');
  };
}
