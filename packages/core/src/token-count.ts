import { createRequire } from 'node:module';

/**
 * Local token counting, for when a provider returns no usage. Uses gpt-tokenizer (the same counts
 * as tiktoken), loaded on first need only, so a service that always gets usage never pays for it.
 * Counts made here are marked `estimated` on the span.
 *
 * `countTextTokens` / `countChatTokens` count in the calling thread: the first call for an
 * encoding loads it synchronously, which blocks the event loop for a few hundred milliseconds.
 * Instrumentations on a call's path count through `countTokensOffThread` (token-counter.ts)
 * instead, which describes the count as a `TokenTally` and counts it in a worker thread.
 */
export type Encoding = 'o200k_base' | 'cl100k_base';
interface Encoder {
  countTokens(text: string): number;
}

const require = createRequire(import.meta.url);
const encoders = new Map<Encoding, Encoder>();

function encoder(encoding: Encoding): Encoder {
  let e = encoders.get(encoding);
  if (!e) {
    e = require(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
    encoders.set(encoding, e);
  }
  return e;
}

/** Which tokenizer a model uses; models of other providers are approximated with o200k. */
export function encodingForModel(model: string | undefined): Encoding {
  // Strip a `provider/` prefix only: `gpt-3.5-turbo-instruct:20230824-v2` keeps its name.
  const m = (model ?? '').toLowerCase().replace(/^[a-z0-9_.-]+\//, '');
  if (/^(gpt-4(?!o|\.\d)|gpt-3\.5|text-embedding-(ada|3)|davinci|babbage)/.test(m)) {
    return 'cl100k_base';
  }
  return 'o200k_base';
}

export function countTextTokens(text: string, model?: string): number {
  if (!text) return 0;
  return encoder(encodingForModel(model)).countTokens(text);
}

/** Whether this thread already loaded the encoding (then counting small texts here is cheap). */
export function encodingLoaded(encoding: Encoding): boolean {
  return encoders.has(encoding);
}

/**
 * A token count to make, described rather than made: a fixed number of tokens plus the tokens of
 * each text, all counted with one model's encoding. Lets the count run elsewhere (a worker) or
 * fall back to an estimate, with the same rules as `countTextTokens` / `countChatTokens`.
 */
export interface TokenTally {
  encoding: Encoding;
  fixed: number;
  texts: string[];
}

export function textTally(text: string, model?: string): TokenTally {
  return { encoding: encodingForModel(model), fixed: 0, texts: text ? [text] : [] };
}

/** `countChatTokens` as a tally: the same rule (3 per message, 1 per name, 3 priming the reply). */
export function chatTally(messages: readonly ChatMessageLike[], model?: string): TokenTally {
  const texts: string[] = [];
  let fixed = 3;
  for (const message of messages) {
    fixed += 3;
    if (message.role) texts.push(message.role);
    const content = contentText(message.content);
    if (content) texts.push(content);
    if (message.name) {
      fixed += 1;
      texts.push(message.name);
    }
  }
  return { encoding: encodingForModel(model), fixed, texts };
}

/** The tally counted with this thread's encoder (loads it synchronously if need be). */
export function countTally(tally: TokenTally): number {
  let total = tally.fixed;
  if (tally.texts.length === 0) return total;
  const e = encoder(tally.encoding);
  for (const text of tally.texts) total += e.countTokens(text);
  return total;
}

/**
 * A character-based estimate of the tally (about 4 characters per token for English text with
 * either encoding): used when the exact count is not available in time.
 */
export function estimateTally(tally: TokenTally): number {
  let total = tally.fixed;
  for (const text of tally.texts) total += Math.ceil(text.length / 4);
  return total;
}

export interface ChatMessageLike {
  role?: string;
  name?: string;
  content?: unknown;
}

/** Text of a message's content: a string, or the text parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (part && typeof part === 'object') {
      const t = (part as { text?: unknown }).text;
      if (typeof t === 'string') text += t;
    }
  }
  return text;
}

/**
 * Prompt tokens of a chat request, by OpenAI's published rule for its chat models: 3 tokens per
 * message, 1 more for a name, and 3 that prime the reply.
 */
export function countChatTokens(messages: readonly ChatMessageLike[], model?: string): number {
  let total = 3;
  for (const message of messages) {
    total += 3;
    total += countTextTokens(message.role ?? '', model);
    total += countTextTokens(contentText(message.content), model);
    if (message.name) total += 1 + countTextTokens(message.name, model);
  }
  return total;
}
