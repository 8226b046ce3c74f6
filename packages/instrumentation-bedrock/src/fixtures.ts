import {
  bedrockChunkStream,
  converseEventStream,
  encodeEventStream,
  eventMessage,
  type Http2Exchange,
} from '@burnrate/test-utils';

/**
 * Bedrock responses written field for field from the Bedrock Runtime API reference (InvokeModel,
 * InvokeModelWithResponseStream, Converse, ConverseStream) and each model family's documented
 * body, for the cases no recording covers. Headers as Bedrock sends them.
 */
const BASE = 'https://bedrock-runtime.us-east-1.amazonaws.com';

export function invokeReply(
  modelId: string,
  body: object,
  usage?: { input: number; output: number },
): Http2Exchange {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-requestid': 'req-1',
  };
  if (usage) {
    headers['x-amzn-bedrock-input-token-count'] = String(usage.input);
    headers['x-amzn-bedrock-output-token-count'] = String(usage.output);
  }
  return {
    method: 'POST',
    url: new URL(`${BASE}/model/${modelId}/invoke`),
    status: 200,
    headers,
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function errorReply(
  path: string,
  status: number,
  type: string,
  message: string,
): Http2Exchange {
  return {
    method: 'POST',
    url: new URL(`${BASE}${path}`),
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

function streamReply(path: string, body: Buffer, holdOpen = false): Http2Exchange {
  // One network part per event-stream message, as the service flushes them.
  const parts: Buffer[] = [];
  for (let rest = body; rest.length > 0; ) {
    const len = rest.readUInt32BE(0);
    parts.push(rest.subarray(0, len));
    rest = rest.subarray(len);
  }
  return {
    method: 'POST',
    url: new URL(`${BASE}${path}`),
    status: 200,
    headers: {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-content-type': 'application/json',
    },
    body,
    parts,
    holdOpen,
  };
}

export function invokeStreamReply(
  modelId: string,
  events: readonly object[],
  holdOpen = false,
): Http2Exchange {
  return streamReply(
    `/model/${modelId}/invoke-with-response-stream`,
    bedrockChunkStream(events),
    holdOpen,
  );
}

/**
 * An InvokeModelWithResponseStream whose chunks are given as their exact JSON text (spacing,
 * `\u` escapes, or text that is not JSON at all), each base64 in a PayloadPart as Bedrock sends it.
 */
export function invokeRawStreamReply(
  modelId: string,
  chunks: readonly string[],
  holdOpen = false,
): Http2Exchange {
  const body = encodeEventStream(
    chunks.map((c) => eventMessage('chunk', { bytes: Buffer.from(c, 'utf8').toString('base64') })),
  );
  return streamReply(`/model/${modelId}/invoke-with-response-stream`, body, holdOpen);
}

export function converseStreamReply(
  modelId: string,
  events: readonly (readonly [string, object])[],
  holdOpen = false,
): Http2Exchange {
  return streamReply(`/model/${modelId}/converse-stream`, converseEventStream(events), holdOpen);
}

export function converseReply(
  modelId: string,
  usage: object,
  text = 'The four cardinal directions are north, east, south and west.',
): Http2Exchange {
  return {
    method: 'POST',
    url: new URL(`${BASE}/model/${modelId}/converse`),
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text }] } },
        stopReason: 'end_turn',
        usage,
        metrics: { latencyMs: 812 },
      }),
    ),
  };
}

/** A ConverseStream as the API sends it: messageStart, deltas, messageStop, then metadata with usage. */
export function converseStreamEvents(texts: readonly string[], usage: object): [string, object][] {
  return [
    ['messageStart', { role: 'assistant' }],
    ...texts.map((text): [string, object] => [
      'contentBlockDelta',
      { contentBlockIndex: 0, delta: { text } },
    ]),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: 'end_turn' }],
    ['metadata', { usage, metrics: { latencyMs: 640 } }],
  ];
}

/** Claude Messages events inside InvokeModelWithResponseStream chunks; the last carries invocation metrics. */
export function claudeStreamEvents(model: string): object[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_bdrk_01',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        usage: {
          input_tokens: 120,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 2048,
          output_tokens: 1,
        },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'North, east,' } },
    {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: ' south and west.' },
    },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 12 },
    },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: 120,
        outputTokenCount: 12,
        invocationLatency: 900,
        firstByteLatency: 300,
        cacheReadInputTokenCount: 2048,
        cacheWriteInputTokenCount: 0,
      },
    },
  ];
}
