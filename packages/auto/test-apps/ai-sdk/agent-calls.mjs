// An AI SDK agent loop with no telemetry code beyond its name: generateText with a tool (`lookup`)
// whose execution makes its own model call (a nested generateText named `summarizer`).
export async function agentLoop(ai, createOpenAI, mode) {
  const openai = createOpenAI({ apiKey: 'test-key', baseURL: process.env.OPENAI_BASE_URL });
  const model = openai.chat('gpt-4o-mini');
  const lookup = ai.tool({
    description: 'Looks up the weather',
    inputSchema: ai.jsonSchema({
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    }),
    execute: async ({ city }) => {
      const summary = await ai.generateText({
        model,
        prompt: `Summarize the weather in ${city}`,
        ...named('summarizer', ai),
      });
      return summary.text;
    },
  });
  const settings = { model, tools: { lookup }, stopWhen: ai.stepCountIs(3) };
  const prompt = 'What is the weather in Paris?';
  if (mode === 'agent-class') {
    const agent = new ai.ToolLoopAgent({ ...settings, ...named('weather-agent', ai) });
    const result = await agent.generate({ prompt });
    return { text: result.text, steps: result.steps.length };
  }
  if (mode === 'stream') {
    const result = ai.streamText({ ...settings, prompt, ...named('weather-agent', ai) });
    let text = '';
    for await (const part of result.textStream) text += part;
    return { text, steps: (await result.steps).length };
  }
  const result = await ai.generateText({ ...settings, prompt, ...named('weather-agent', ai) });
  return { text: result.text, steps: result.steps.length };
}

/** The call's name: ai 7 `telemetry.functionId`; ai 6 `experimental_telemetry.metadata.agent`. */
function named(name, ai) {
  if (typeof ai.registerTelemetry === 'function') return { telemetry: { functionId: name } };
  return { experimental_telemetry: { isEnabled: false, metadata: { agent: name } } };
}
