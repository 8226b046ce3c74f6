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

/**
 * A body (string, bytes, or the SDK's Uint8ArrayBlobAdapter) as text, decoded once; undefined for
 * another type or a body over `MAX_PARSED_BODY_BYTES`.
 */
export function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body.length <= MAX_PARSED_BODY_BYTES ? body : undefined;
  if (body instanceof Uint8Array && body.byteLength <= MAX_PARSED_BODY_BYTES)
    return decoder.decode(body);
  return undefined;
}

/** JSON text parsed to an object; undefined for anything else (an array, a number, bad JSON). */
export function parseJson(s: string): Json | undefined {
  try {
    return obj(JSON.parse(s));
  } catch {
    return undefined;
  }
}

/** A request or response body (string, bytes, or the SDK's Uint8ArrayBlobAdapter) parsed as JSON. */
export function parseJsonBody(body: unknown): Json | undefined {
  const s = bodyText(body);
  return s === undefined ? undefined : parseJson(s);
}

/** The first number among `keys` of `o`, in that order. */
function firstNumber(o: Json, keys: readonly string[]): number | undefined {
  // An index, not `for...of`: no iterator object made per call.
  for (let i = 0; i < keys.length; i++) {
    const v = o[keys[i]];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/** Output caps of each family's native body, in the order they are looked for. */
const MAX_KEYS = ['max_tokens', 'max_tokens_to_sample', 'maxTokens', 'max_gen_len'] as const;
const CONFIG_MAX_KEYS = ['maxTokenCount', 'max_new_tokens', 'maxTokens'] as const;
const TEMPERATURE_KEYS = ['temperature'] as const;

/** Request attributes from a model's native InvokeModel body (never prompt text). */
export function invokeRequestAttributes(body: Json | undefined): Attributes {
  if (!body) return {};
  const cfg = obj(body.textGenerationConfig) ?? obj(body.inferenceConfig);
  // Runs per call: no arrays of candidates made (the first number wins, top level first).
  const max = firstNumber(body, MAX_KEYS) ?? (cfg ? firstNumber(cfg, CONFIG_MAX_KEYS) : undefined);
  const temperature =
    firstNumber(body, TEMPERATURE_KEYS) ?? (cfg ? firstNumber(cfg, TEMPERATURE_KEYS) : undefined);
  const attrs: Attributes = {};
  if (max !== undefined) attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = max;
  if (temperature !== undefined) attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
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
