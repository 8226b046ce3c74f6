import { exchange, type RecordedExchange } from '@burnrate/test-utils';

/**
 * Hand-written replay fixtures. No recordings of `@google/genai` exist in the recorded fixtures (`test/fixtures`), so
 * these follow Google's published REST reference field for field
 * (https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse,
 * https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference): camelCase
 * `usageMetadata` with `promptTokenCount` (cache included), `candidatesTokenCount`,
 * `thoughtsTokenCount`, `cachedContentTokenCount`, `totalTokenCount`; streams as SSE
 * (`?alt=sse`), each event a full GenerateContentResponse carrying the running usage.
 * Paths are given without the API version: the replay server also matches `/v1beta/...`.
 */
export interface Usage {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

function total(u: Usage): number {
  return (
    u.promptTokenCount +
    (u.candidatesTokenCount ?? 0) +
    (u.thoughtsTokenCount ?? 0) +
    (u.toolUsePromptTokenCount ?? 0)
  );
}

export function generateResponse(
  model: string,
  text: string,
  usage: Usage,
  vertex = false,
): object {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      ...usage,
      totalTokenCount: total(usage),
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }],
      ...(vertex ? { trafficType: 'ON_DEMAND' } : {}),
    },
    modelVersion: model,
    ...(vertex ? { createTime: '2026-11-23T14:00:00.000000Z' } : {}),
    responseId: 'resp-gen-1',
  };
}

/** Path prefix: Gemini Developer API `models/`, Vertex AI `publishers/google/models/`. */
function base(vertex: boolean): string {
  return vertex
    ? 'https://aiplatform.googleapis.com/publishers/google/models'
    : 'https://generativelanguage.googleapis.com/models';
}

export function generateExchange(
  model: string,
  text: string,
  usage: Usage,
  vertex = false,
): RecordedExchange[] {
  return [
    exchange(
      'POST',
      `${base(vertex)}/${model}:generateContent`,
      generateResponse(model, text, usage, vertex),
    ),
  ];
}

/** A stream of text pieces; the running usage grows with each event, the last one is final. */
export function streamExchange(
  model: string,
  pieces: string[],
  usage: Usage,
  vertex = false,
): RecordedExchange[] {
  const events = pieces.map((text, i) => {
    const last = i === pieces.length - 1;
    const partial: Usage = last
      ? usage
      : {
          promptTokenCount: usage.promptTokenCount,
          thoughtsTokenCount: usage.thoughtsTokenCount,
          cachedContentTokenCount: usage.cachedContentTokenCount,
          candidatesTokenCount: i + 1,
        };
    const r = generateResponse(model, text, partial, vertex) as {
      candidates: { finishReason?: string }[];
    };
    if (!last) delete r.candidates[0].finishReason;
    return r;
  });
  const body = events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join('');
  return [
    exchange('POST', `${base(vertex)}/${model}:streamGenerateContent`, body, {
      contentType: 'text/event-stream',
    }),
  ];
}

/** Gemini Developer API batchEmbedContents: vectors only, no token counts. */
export function geminiEmbedExchange(model: string, n: number): RecordedExchange[] {
  return [
    exchange('POST', `${base(false)}/${model}:batchEmbedContents`, {
      embeddings: Array.from({ length: n }, (_, i) => ({ values: [0.01 * i, -0.02, 0.03] })),
    }),
  ];
}

/** Vertex AI predict for embedding models: per-instance `statistics.token_count`. */
export function vertexEmbedExchange(model: string, tokenCounts: number[]): RecordedExchange[] {
  return [
    exchange('POST', `${base(true)}/${model}:predict`, {
      predictions: tokenCounts.map((token_count) => ({
        embeddings: { statistics: { truncated: false, token_count }, values: [0.01, -0.02, 0.03] },
      })),
      metadata: { billableCharacterCount: 12 },
    }),
  ];
}
