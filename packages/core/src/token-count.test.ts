import { describe, expect, it } from 'vitest';
import { countChatTokens, countTextTokens, encodingForModel } from './token-count.ts';

describe('local token counts (tiktoken-compatible)', () => {
  it('picks the tokenizer of the model', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4.1')).toBe('o200k_base');
    expect(encodingForModel('gpt-4-0613')).toBe('cl100k_base');
    expect(encodingForModel('gpt-3.5-turbo-instruct:20230824-v2')).toBe('cl100k_base');
    expect(encodingForModel('openai/gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingForModel('text-embedding-3-small')).toBe('cl100k_base');
  });

  it('counts as tiktoken does', () => {
    // tiktoken: cl100k_base encodes "hello world" as [15339, 1917]; o200k_base as [24912, 2375].
    expect(countTextTokens('hello world', 'gpt-4')).toBe(2);
    expect(countTextTokens('hello world', 'gpt-4o')).toBe(2);
    expect(countTextTokens('', 'gpt-4o')).toBe(0);
  });

  it('counts chat prompts by OpenAI rule, which the recorded usage confirms', () => {
    // Recorded: this exact request to gpt-3.5-turbo reported prompt_tokens = 15.
    expect(
      countChatTokens(
        [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
        'gpt-3.5-turbo',
      ),
    ).toBe(15);
  });
});
