import { createHash } from 'node:crypto';

/**
 * A short hash of the model and the newest part of a request: its last two messages (chat
 * completions, Anthropic messages, Mistral, Cohere v2), input items (the Responses API, Bedrock
 * Converse), contents (Gemini) or prompt parts (the AI SDK). An agent stuck in a loop sends the
 * same newest turn (the same tool call and the same result) again and again while its history
 * grows; a stateless loop sends the whole request again. Both give the same fingerprint.
 */
const FIELDS = ['messages', 'input', 'contents', 'prompt', 'message', 'inputText'] as const;
/**
 * Ids a provider or framework gives each turn anew (a tool call's id, the result's reference to
 * it): a loop repeats everything but these, so they are left out of the hash at any depth.
 */
const FRESH_IDS = new Set([
  'id',
  'tool_call_id',
  'call_id',
  'tool_use_id',
  'toolCallId',
  'toolUseId',
]);
const withoutFreshIds = (key: string, value: unknown) => (FRESH_IDS.has(key) ? undefined : value);
/** Longest serialised tail hashed: the rest of a huge message adds nothing to "same request". */
const MAX_TAIL_CHARS = 16_384;

export function requestFingerprint(model: string | undefined, request: unknown): string {
  let tail: unknown = request;
  if (request && typeof request === 'object') {
    const r = request as Record<string, unknown>;
    for (const field of FIELDS) {
      const v = r[field];
      if (v === undefined) continue;
      tail = Array.isArray(v) ? v.slice(-2) : v;
      break;
    }
  }
  let text: string;
  try {
    text = typeof tail === 'string' ? tail : (JSON.stringify(tail, withoutFreshIds) ?? '');
  } catch {
    text = String(tail);
  }
  return createHash('sha1')
    .update(model ?? '')
    .update('\0')
    .update(text.length > MAX_TAIL_CHARS ? text.slice(0, MAX_TAIL_CHARS) : text)
    .digest('base64url')
    .slice(0, 16);
}
