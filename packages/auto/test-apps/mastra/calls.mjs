// Mastra agents the test apps run; each prints what the app saw.
import { z } from 'zod';

function model({ createOpenAI }) {
  return createOpenAI({ apiKey: 'test-key', baseURL: process.env.OPENAI_BASE_URL }).chat(
    'gpt-4o-mini',
  );
}

/** The tool summarizes with the OpenAI SDK itself: a priced call made inside the agent's run. */
export function weatherAgent({ Agent }, { createTool }, aiOpenai, OpenAI, name = 'Weather Agent') {
  const lookup = createTool({
    id: 'lookup_weather',
    description: 'Weather of a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      const chat = await new OpenAI({ apiKey: 'test-key', maxRetries: 0 }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `Summarize the weather in ${city}` }],
      });
      return chat.choices[0].message.content;
    },
  });
  return new Agent({
    id: 'weather-agent',
    name,
    instructions: 'Answer weather questions with the tool.',
    model: model(aiOpenai),
    tools: { lookup_weather: lookup },
  });
}

export async function generate(agentMod, toolsMod, aiOpenai, OpenAI) {
  const agent = weatherAgent(agentMod, toolsMod, aiOpenai, OpenAI);
  const out = await agent.generate('Weather in Paris?', { threadId: 'thread-mastra' });
  return { text: out.text };
}

export async function stream(agentMod, toolsMod, aiOpenai, OpenAI) {
  const agent = weatherAgent(agentMod, toolsMod, aiOpenai, OpenAI);
  const out = await agent.stream('Weather in Paris?', { threadId: 'thread-mastra-stream' });
  let chunks = 0;
  for await (const _ of out.textStream) chunks++;
  return { chunks: chunks > 0 };
}

export function print(result) {
  console.log(JSON.stringify(result));
}

/** The agent's model always asks for the tool again: the breaker (env) stops the loop. */
export async function loop(agentMod, toolsMod, aiOpenai, OpenAI) {
  const agent = weatherAgent(agentMod, toolsMod, aiOpenai, OpenAI, 'Looping Agent');
  try {
    const out = await agent.generate('Weather in Paris?', { maxSteps: 50 });
    const error = out.error ?? out.response?.error;
    return { error: error?.name ?? null, kind: error?.kind, finishReason: out.finishReason };
  } catch (error) {
    return { error: error?.name, kind: error?.kind };
  }
}
