// The AI SDK calls both apps make, with no telemetry option: generateText, streamText, embed.
export const PROMPT = 'What is 2+2? Give a brief answer.';

export async function aiCalls({ generateText, streamText, embed }, createOpenAI) {
  const openai = createOpenAI({ apiKey: 'test-key', baseURL: process.env.OPENAI_BASE_URL });
  const generated = await generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT });
  const stream = streamText({ model: openai.chat('gpt-4o-mini'), prompt: PROMPT });
  let text = '';
  for await (const part of stream.textStream) text += part;
  await stream.usage;
  const embedded = await embed({
    model: openai.embedding('text-embedding-3-small'),
    value: 'sunny day at the beach',
  });
  return { generated: generated.usage.inputTokens, text, dimensions: embedded.embedding.length };
}
