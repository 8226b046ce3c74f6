import { exchange, type RecordedExchange, sseBody } from '@burnrate/test-utils';

/**
 * Hand-written fixtures (no Mistral recordings exist in the recorded fixtures (`test/fixtures`)). They follow Mistral's
 * published API reference field for field (https://docs.mistral.ai/api/#tag/chat,
 * /#tag/embeddings): snake_case `usage` with `prompt_tokens`, `completion_tokens`, `total_tokens`;
 * streams as `data:` events of `chat.completion.chunk`, the last content chunk carrying `usage`,
 * then `data: [DONE]`.
 */
export function chatExchange(
  model: string,
  usage: { prompt_tokens: number; completion_tokens: number },
  path = '/v1/chat/completions',
): RecordedExchange[] {
  return [
    exchange('POST', `https://api.mistral.ai${path}`, {
      id: 'cmpl-e5cc70bb28c444948073e77776eb30ef',
      object: 'chat.completion',
      model,
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      created: 1763906400,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'A span is one timed operation.',
            tool_calls: null,
            prefix: false,
          },
          finish_reason: 'stop',
        },
      ],
    }),
  ];
}

export function streamExchange(
  model: string,
  pieces: string[],
  usage: { prompt_tokens: number; completion_tokens: number },
): RecordedExchange[] {
  const base = { id: 'cmpl-stream-1', object: 'chat.completion.chunk', created: 1763906400, model };
  const events = [
    {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    },
    ...pieces.map((content, i) => ({
      ...base,
      choices: [
        { index: 0, delta: { content }, finish_reason: i === pieces.length - 1 ? 'stop' : null },
      ],
      ...(i === pieces.length - 1
        ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
        : {}),
    })),
  ];
  return [
    exchange('POST', 'https://api.mistral.ai/v1/chat/completions', sseBody(events), {
      contentType: 'text/event-stream',
    }),
  ];
}

export function embeddingsExchange(
  model: string,
  promptTokens: number,
  n: number,
): RecordedExchange[] {
  return [
    exchange('POST', 'https://api.mistral.ai/v1/embeddings', {
      id: 'embd-aad6fc62b17349b192ef09225058bc45',
      object: 'list',
      data: Array.from({ length: n }, (_, index) => ({
        object: 'embedding',
        embedding: [0.1, -0.2, 0.3],
        index,
      })),
      model,
      usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens },
    }),
  ];
}
