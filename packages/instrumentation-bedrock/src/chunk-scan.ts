/**
 * Whether an InvokeModelWithResponseStream chunk must be parsed as it arrives, read from its JSON
 * text without parsing it. A chunk is read for its invocation metrics, its finish reason and
 * Claude's `message_start` / `message_delta` events (usage, stop reason), and for its generated
 * text, which only a stream that ends without metrics needs: a chunk that can carry none of the
 * former is kept as text and parsed at the end only if its text is needed.
 *
 * Exact, not a guess: a key these are read from appears in the JSON text either literally (a
 * quote, the name, a quote, then `:`) or spelled with `\u` escapes (the only escapes that make
 * letters, `-` or `_`), so a chunk without `\u` and without such a key whose value could matter
 * yields nothing but text when parsed. A key's value matters unless it is `null` (no metrics, no
 * reason, no event) or, for `type`, a Claude event or block type that only adds text. A match
 * inside a string value is followed by no `:` (the quote after the name closes that string) and
 * is passed over; one that ends a longer key (`"x\"type"`) is read as that name, which changes
 * nothing: every real occurrence of the names is read as well.
 */
const WATCHED =
  /"(?:amazon-bedrock-invocationMetrics|type|stop_reason|stopReason|completionReason|finish_reason)"|\\u/g;

/**
 * Claude event and content-block types that only add text (a content block's start, delta and
 * stop, and the types inside them), which MessageStreamReader reads from `content_block_delta`
 * alone: the other events it reads (`message_start`, `message_delta`) are never deferred, and
 * unknown types are parsed at once.
 */
const TEXT_ONLY_TYPES: ReadonlySet<string> = new Set([
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'ping',
  'text',
  'text_delta',
  'thinking',
  'thinking_delta',
  'redacted_thinking',
  'signature_delta',
  'tool_use',
  'input_json_delta',
]);

export function isTextOnlyType(type: string): boolean {
  return TEXT_ONLY_TYPES.has(type);
}

const QUOTE = 34;
const COLON = 58;
const LOWER_T = 116;
const LOWER_U = 117;

/** JSON whitespace: space, tab, line feed, carriage return. */
function skipSpace(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
  return i;
}

/** True when the chunk may carry metrics, a finish reason or a Claude event other than text. */
export function chunkNeedsParse(json: string): boolean {
  WATCHED.lastIndex = 0;
  // `test`, not `exec`: no match array made per key found (this runs per chunk).
  while (WATCHED.test(json)) {
    const end = WATCHED.lastIndex;
    if (json.charCodeAt(end - 1) === LOWER_U) return true; // `\u`: a key may be escaped
    let i = skipSpace(json, end);
    if (json.charCodeAt(i) !== COLON) continue; // not a key: the name inside a string value
    i = skipSpace(json, i + 1);
    if (json.startsWith('null', i)) continue;
    // Of the names, only `"type"` has a `t` five characters before its end.
    if (json.charCodeAt(end - 5) !== LOWER_T || json.charCodeAt(i) !== QUOTE) return true;
    // A `type` string: its literal up to the next quote (an escaped one leaves a backslash in
    // it, which no text-only type has).
    const close = json.indexOf('"', i + 1);
    if (close === -1 || !TEXT_ONLY_TYPES.has(json.slice(i + 1, close))) return true;
  }
  return false;
}
