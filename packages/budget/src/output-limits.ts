/**
 * The output a call may produce when the caller sets no cap: the model's published maximum
 * output tokens, from the providers' model pages (OpenAI, Anthropic, Google), checked 2026-11.
 * Longest prefix wins (`gpt-4o-mini` before `gpt-4o` before `gpt-4`). Models not listed fall
 * back to the catalog's context window minus the prompt, then to FALLBACK_OUTPUT_TOKENS.
 * Conservative on purpose: a reservation must never be smaller than what the call can cost.
 */
export const PUBLISHED_MAX_OUTPUT: Readonly<Record<string, number>> = {
  // OpenAI
  'gpt-3.5-turbo': 4_096,
  'gpt-4': 8_192,
  'gpt-4-turbo': 4_096,
  'gpt-4o': 16_384,
  'gpt-4o-mini': 16_384,
  'chatgpt-4o': 16_384,
  'gpt-4.1': 32_768,
  'gpt-4.1-mini': 32_768,
  'gpt-4.1-nano': 32_768,
  'gpt-5': 128_000,
  o1: 100_000,
  'o1-mini': 65_536,
  o3: 100_000,
  'o3-mini': 100_000,
  'o4-mini': 100_000,
  // Anthropic
  'claude-3-haiku': 4_096,
  'claude-3-opus': 4_096,
  'claude-3-sonnet': 4_096,
  'claude-3-5-haiku': 8_192,
  'claude-3-5-sonnet': 8_192,
  'claude-3-7-sonnet': 64_000,
  'claude-sonnet-4': 64_000,
  'claude-opus-4': 32_000,
  'claude-opus-4-5': 64_000,
  'claude-haiku-4-5': 64_000,
  // Google
  'gemini-1.5': 8_192,
  'gemini-2.0-flash': 8_192,
  'gemini-2.5': 65_536,
};

/** Used when neither the table nor the catalog's context window knows the model. */
export const FALLBACK_OUTPUT_TOKENS = 32_768;

/** Operations that produce no output tokens. */
const NO_OUTPUT = new Set(['embeddings', 'create_embeddings']);

/** `us.anthropic.claude-3-5-sonnet-20241022-v2:0` -> `claude-3-5-sonnet-20241022-v2:0`. */
export function baseModelName(model: string): string {
  let m = model.toLowerCase();
  const slash = m.lastIndexOf('/');
  if (slash >= 0) m = m.slice(slash + 1);
  m = m.replace(/^(us|eu|apac|global|jp|au)\./, '');
  m = m.replace(/^(anthropic|openai|google|meta|mistral|cohere|amazon)\./, '');
  return m;
}

export function publishedMaxOutput(
  model: string,
  overrides?: Readonly<Record<string, number>>,
): number | undefined {
  if (overrides && Object.hasOwn(overrides, model)) return overrides[model];
  const name = baseModelName(model);
  let best: string | undefined;
  for (const prefix of Object.keys(PUBLISHED_MAX_OUTPUT)) {
    if (
      (name === prefix || name.startsWith(`${prefix}-`) || name.startsWith(`${prefix}:`)) &&
      (!best || prefix.length > best.length)
    ) {
      best = prefix;
    }
  }
  return best === undefined ? undefined : PUBLISHED_MAX_OUTPUT[best];
}

/**
 * The output tokens to reserve for a call: the caller's cap when set; otherwise the published
 * maximum for the model; otherwise context window - prompt; otherwise FALLBACK_OUTPUT_TOKENS.
 */
export function outputTokensToReserve(input: {
  operation: string;
  model: string;
  requested: number | undefined;
  inputTokens: number;
  contextWindow: number | undefined;
  overrides?: Readonly<Record<string, number>>;
}): number {
  if (NO_OUTPUT.has(input.operation)) return 0;
  if (input.requested !== undefined && input.requested >= 0) return Math.floor(input.requested);
  const published = publishedMaxOutput(input.model, input.overrides);
  if (published !== undefined) return published;
  if (input.contextWindow !== undefined && input.contextWindow > input.inputTokens) {
    return input.contextWindow - input.inputTokens;
  }
  return FALLBACK_OUTPUT_TOKENS;
}
