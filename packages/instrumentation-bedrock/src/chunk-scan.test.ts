import { describe, expect, it } from 'vitest';
import { chunkNeedsParse } from './chunk-scan.ts';

// Chunk text as each family streams it (recordings in test/fixtures/recorded/bedrock, and the
// documented bodies of the others).
describe('chunkNeedsParse: which stream chunks are parsed on arrival', () => {
  it.each([
    [
      'Llama, mid-stream',
      '{"generation":" West","prompt_token_count":null,"generation_token_count":25,"stop_reason":null}',
    ],
    [
      'Claude 2 text completion, mid-stream',
      '{"completion":" The","stop_reason":null,"stop":null}',
    ],
    [
      'Titan, mid-stream',
      '{"outputText":"North","index":0,"totalOutputTextTokenCount":1,"completionReason":null}',
    ],
    ['Mistral, mid-stream', '{"outputs":[{"text":" east","stop_reason":null}]}'],
    [
      'OpenAI-style (Jamba, DeepSeek), mid-stream',
      '{"id":"c1","choices":[{"index":0,"delta":{"content":"North"},"finish_reason":null}]}',
    ],
    ['Cohere, mid-stream', '{"is_finished":false,"event_type":"text-generation","text":" North"}'],
    ['Nova text delta', '{"contentBlockDelta":{"delta":{"text":"North"},"contentBlockIndex":0}}'],
    [
      'Claude text delta',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"North"}}',
    ],
    [
      'Claude thinking delta',
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hm"}}',
    ],
    [
      'Claude block start',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    ],
    ['Claude ping', '{"type":"ping"}'],
    ['spaces around the colon, null value', '{"generation":"x", "stop_reason" :\n null}'],
    [
      'a key name inside generated text',
      '{"generation":"say \\"stop_reason\\": \\"x\\" and \\"type\\":1","stop_reason":null}',
    ],
    ['a key name as a value', '{"generation":"x","field":"stop_reason","kind":"type"}'],
    ['not JSON (skipped when parsed)', 'not json'],
  ])('%s: kept unparsed', (_name, json) => {
    expect(chunkNeedsParse(json)).toBe(false);
  });

  it.each([
    [
      'invocation metrics (the last chunk)',
      '{"generation":"","stop_reason":null,"amazon-bedrock-invocationMetrics":{"inputTokenCount":9}}',
    ],
    ['a finish reason', '{"generation":"","stop_reason":"stop"}'],
    ['a finish reason after spaces', '{"completionReason" :  "FINISH"}'],
    ['a nested finish reason (read as the API nests it)', '{"outputs":[{"stop_reason":"stop"}]}'],
    ['Claude message_start', '{"type":"message_start","message":{"id":"msg_1","usage":{}}}'],
    ['Claude message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn"}}'],
    ['an unknown Claude type', '{"type":"error","error":{"type":"overloaded_error"}}'],
    [
      'a content block type not known to carry text only',
      '{"type":"content_block_delta","delta":{"type":"citations_delta","citation":{}}}',
    ],
    ['a type that is not a string', '{"type":7}'],
    ['a key spelled with \\u escapes', '{"generation":"","stop\\u005freason":"stop"}'],
    ['any \\u escape', '{"generation":"caf\\u00e9","stop_reason":null}'],
  ])('%s: parsed', (_name, json) => {
    expect(chunkNeedsParse(json)).toBe(true);
  });
});
