// The framework calls the test apps make; each prints one JSON line of what the app saw.
export async function langchainCalls({ ChatOpenAI, OpenAIEmbeddings }) {
  const chat = new ChatOpenAI({ model: 'gpt-3.5-turbo', maxRetries: 0 });
  const reply = await chat.invoke('Tell me a joke about OpenTelemetry');
  let chunks = 0;
  for await (const _ of await chat.stream('Tell me a joke about OpenTelemetry')) chunks++;
  const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', maxRetries: 0 });
  const vector = await embeddings.embedQuery('OpenTelemetry');
  return { invokeTokens: reply.usage_metadata?.input_tokens, chunks, dimensions: vector.length };
}

export async function agentsRun({ Agent, run }) {
  const agent = new Agent({ name: 'Joker', instructions: 'Tell jokes.', model: 'gpt-4o-mini' });
  const result = await run(agent, 'Tell me a joke about OpenTelemetry');
  return { agentOutput: typeof result.finalOutput === 'string' };
}

export async function openaiChat(OpenAI) {
  const chat = await new OpenAI({ maxRetries: 0 }).chat.completions.create({
    model: 'gpt-3.5-turbo',
    messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
  });
  return { chatTokens: chat.usage.prompt_tokens };
}

export function print(result) {
  console.log(JSON.stringify(result));
}
