import { exchange, type RecordedExchange } from '@burnrate/test-utils';

/**
 * Hand-written v2 API fixtures (the recordings in `test/fixtures` cover the v1 API only). They follow
 * Cohere's published v2 reference field for field (https://docs.cohere.com/reference/chat,
 * /reference/chat-stream, /reference/embed, /reference/rerank): `usage.billed_units` beside
 * `usage.tokens` (which also counts the template tokens Cohere adds and does not bill), streams as
 * SSE `event:` / `data:` pairs ending with `message-end`, whose `delta.usage` carries the usage.
 */
export const V2_USAGE = {
  billed_units: { input_tokens: 12, output_tokens: 9 },
  tokens: { input_tokens: 208, output_tokens: 9 },
};

export function v2ChatExchange(): RecordedExchange[] {
  return [
    exchange('POST', 'https://api.cohere.com/v2/chat', {
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      finish_reason: 'COMPLETE',
      message: {
        role: 'assistant',
        content: [{ type: 'text', text: 'Spans record one operation each.' }],
      },
      usage: V2_USAGE,
    }),
  ];
}

export function v2StreamBody(): string {
  const events: [string, object][] = [
    [
      'message-start',
      {
        id: 'msg-1',
        type: 'message-start',
        delta: {
          message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
        },
      },
    ],
    [
      'content-start',
      {
        type: 'content-start',
        index: 0,
        delta: { message: { content: { type: 'text', text: '' } } },
      },
    ],
    [
      'content-delta',
      { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Spans ' } } } },
    ],
    [
      'content-delta',
      { type: 'content-delta', index: 0, delta: { message: { content: { text: 'record.' } } } },
    ],
    ['content-end', { type: 'content-end', index: 0 }],
    ['message-end', { type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: V2_USAGE } }],
  ];
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

export function v2StreamExchange(): RecordedExchange[] {
  return [
    exchange('POST', 'https://api.cohere.com/v2/chat', v2StreamBody(), {
      contentType: 'text/event-stream',
    }),
  ];
}

export function v2EmbedExchange(): RecordedExchange[] {
  return [
    exchange('POST', 'https://api.cohere.com/v2/embed', {
      id: 'emb-1',
      embeddings: {
        float: [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      },
      texts: ['hello', 'world'],
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: 2 } },
      response_type: 'embeddings_by_type',
    }),
  ];
}

export function v2RerankExchange(searchUnits: number): RecordedExchange[] {
  return [
    exchange('POST', 'https://api.cohere.com/v2/rerank', {
      id: 'rr-1',
      results: [
        { index: 1, relevance_score: 0.98 },
        { index: 0, relevance_score: 0.12 },
      ],
      meta: { api_version: { version: '2' }, billed_units: { search_units: searchUnits } },
    }),
  ];
}
