import { createRequire } from 'node:module';

/**
 * Local token counting, for when a provider returns no usage. Uses gpt-tokenizer (the same counts
 * as tiktoken), loaded on first need only, so a service that always gets usage never pays for it.
 * Counts made here are marked `estimated` on the span.
 */
type Encoding = 'o200k_base' | 'cl100k_base';
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
