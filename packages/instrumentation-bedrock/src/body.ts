import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  type ChatMessageLike,
  contentText,
  countChatTokens,
  countTextTokens,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { Json } from './types.ts';

const decoder = new TextDecoder();
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Bodies larger than this are not parsed (an image in a Claude request, a generated image in a
 * Nova Canvas response): reading one would cost the caller more than its attributes are worth. The
 * token counts then come from the headers or the stream's metrics, as for every other body.
 */
export const MAX_PARSED_BODY_BYTES = 1 << 20;

/** A request or response body (string, bytes, or the SDK's Uint8ArrayBlobAdapter) parsed as JSON. */
export function parseJsonBody(body: unknown): Json | undefined {
  let s: string | undefined;
  if (typeof body === 'string') s = body.length <= MAX_PARSED_BODY_BYTES ? body : undefined;
  else if (body instanceof Uint8Array && body.byteLength <= MAX_PARSED_BODY_BYTES)
    s = decoder.decode(body);
  if (s === undefined) return undefined;
  try {
    return obj(JSON.parse(s));
  } catch {
    return undefined;
  }
}

/** Request attributes from a model's native InvokeModel body (never prompt text). */
export function invokeRequestAttributes(body: Json | undefined): Attributes {
  if (!body) return {};
  const cfg = obj(body.textGenerationConfig) ?? obj(body.inferenceConfig) ?? {};
  const max = [
    body.max_tokens,
    body.max_tokens_to_sample,
    body.maxTokens,
    body.max_gen_len,
    cfg.maxTokenCount,
    cfg.max_new_tokens,
    cfg.maxTokens,
  ].find((v) => typeof v === 'number');
  const temperature = [body.temperature, cfg.temperature].find((v) => typeof v === 'number');
  const attrs: Attributes = {};
  if (typeof max === 'number') attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = max;
  if (typeof temperature === 'number') attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
  return attrs;
}

/** Whether a native body is a prompt completion (`prompt` / `inputText`) rather than chat messages. */
export function isTextCompletion(body: Json | undefined): boolean {
  return (
    !!body &&
    body.messages === undefined &&
    (typeof body.prompt === 'string' || typeof body.inputText === 'string')
  );
}

/** A local count of a native request body's prompt, for a response without usage (`estimated`). */
export function promptTokens(body: Json | undefined, model: string): number {
  if (!body) return 0;
  const single = text(body.prompt) || text(body.inputText) || text(body.message);
  if (single) return countTextTokens(single, model);
  const messages: ChatMessageLike[] = list(body.messages).map((m) => ({
    role: text(obj(m)?.role),
    content: contentOf(obj(m)?.content),
  }));
  const system = contentOf(body.system);
  if (system) messages.unshift({ role: 'system', content: system });
  return messages.length ? countChatTokens(messages, model) : 0;
}

function contentOf(content: unknown): string {
  // Anthropic content parts ({ text }) and Converse / Nova content blocks ({ text }).
  return contentText(content);
}

/**
 * The generated text in a response body or stream chunk, for every model family's shape (Claude
 * text completions and Messages deltas, Titan, Llama, Cohere, Mistral, AI21, OpenAI-style bodies).
 */
export function generatedText(chunk: Json): string {
  let out =
    text(chunk.completion) + text(chunk.outputText) + text(chunk.generation) + text(chunk.text);
  out += text(obj(chunk.delta)?.text);
  // Runs per stream chunk: lists are walked only where present (no empty array made for each).
  const { results, generations, outputs, completions, choices, content } = chunk;
  if (Array.isArray(results)) for (const r of results) out += text(obj(r)?.outputText);
  if (Array.isArray(generations)) for (const g of generations) out += text(obj(g)?.text);
  if (Array.isArray(outputs)) for (const o of outputs) out += text(obj(o)?.text);
  if (Array.isArray(completions)) for (const c of completions) out += text(obj(obj(c)?.data)?.text);
  if (Array.isArray(choices)) {
    for (const c of choices) {
      const choice = obj(c);
      out +=
        text(obj(choice?.delta)?.content) +
        text(obj(choice?.message)?.content) +
        text(choice?.text);
    }
  }
  if (Array.isArray(content)) for (const b of content) out += text(obj(b)?.text);
  out += text(obj(obj(chunk.contentBlockDelta)?.delta)?.text);
  return out;
}
