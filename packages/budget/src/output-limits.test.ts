import { describe, expect, it } from 'vitest';
import {
  FALLBACK_OUTPUT_TOKENS,
  outputTokensToReserve,
  publishedMaxOutput,
} from './output-limits.ts';

const base = { operation: 'chat', inputTokens: 1000, contextWindow: undefined };

describe('output tokens to reserve when the caller sets no cap', () => {
  it("uses the caller's cap when there is one", () => {
    expect(outputTokensToReserve({ ...base, model: 'gpt-4o', requested: 300 })).toBe(300);
  });

  it('takes the published maximum, longest prefix first, dated and hosted names included', () => {
    expect(publishedMaxOutput('gpt-4o-2024-08-06')).toBe(16_384);
    expect(publishedMaxOutput('gpt-4')).toBe(8_192);
    expect(publishedMaxOutput('gpt-4-turbo-2024-04-09')).toBe(4_096);
    expect(publishedMaxOutput('gpt-4.1-mini')).toBe(32_768);
    expect(publishedMaxOutput('o1-mini')).toBe(65_536);
    expect(publishedMaxOutput('claude-opus-4-1-20250805')).toBe(32_000);
    expect(publishedMaxOutput('claude-sonnet-4-5-20250929')).toBe(64_000);
    expect(publishedMaxOutput('us.anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe(8_192);
    expect(publishedMaxOutput('models/gemini-2.5-flash')).toBe(65_536);
    expect(publishedMaxOutput('gpt-4ox')).toBeUndefined();
  });

  it('a user override wins over the table', () => {
    expect(
      outputTokensToReserve({
        ...base,
        model: 'gpt-4o',
        requested: undefined,
        overrides: { 'gpt-4o': 2000 },
      }),
    ).toBe(2000);
  });

  it('falls back to the context window minus the prompt, then to a fixed ceiling', () => {
    expect(
      outputTokensToReserve({
        ...base,
        model: 'llama-3-70b',
        requested: undefined,
        contextWindow: 8192,
      }),
    ).toBe(7192);
    expect(outputTokensToReserve({ ...base, model: 'llama-3-70b', requested: undefined })).toBe(
      FALLBACK_OUTPUT_TOKENS,
    );
  });

  it('embeddings produce no output tokens', () => {
    expect(
      outputTokensToReserve({
        ...base,
        operation: 'embeddings',
        model: 'text-embedding-3-small',
        requested: undefined,
      }),
    ).toBe(0);
  });
});
