// The calls every test app makes: one chat completion, one stream, inside an attribution scope.
export async function makeCalls(OpenAI, withAttribution) {
  const openai = new OpenAI({ maxRetries: 0 });
  const run = async () => {
    const chat = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
    });
    const stream = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
      stream: true,
    });
    let chunks = 0;
    for await (const _ of stream) chunks++;
    return { chatTokens: chat.usage.prompt_tokens, chunks };
  };
  const result = withAttribution
    ? await withAttribution({ team: 'search', endpoint: '/search' }, run)
    : await run();
  console.log(JSON.stringify(result));
}
