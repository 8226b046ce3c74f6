import { GEN_AI_PROVIDER, type ModelServer, serverAddress } from '@burnrate/core';
import type { ClientLike } from './types.ts';

/** Hosts of OpenAI-compatible APIs, and the `gen_ai.provider.name` Burnrate gives them. */
const HOSTS: readonly [RegExp, string][] = [
  [
    /(^|\.)openai\.azure\.com$|(^|\.)cognitiveservices\.azure\.com$|(^|\.)services\.ai\.azure\.com$/,
    GEN_AI_PROVIDER.AZURE_OPENAI,
  ],
  [/(^|\.)api\.openai\.com$/, GEN_AI_PROVIDER.OPENAI],
  [/(^|\.)groq\.com$/, GEN_AI_PROVIDER.GROQ],
  [/(^|\.)together\.(xyz|ai)$/, 'together'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)fireworks\.ai$/, 'fireworks'],
  [/(^|\.)deepseek\.com$/, GEN_AI_PROVIDER.DEEPSEEK],
  [/(^|\.)x\.ai$/, GEN_AI_PROVIDER.X_AI],
  [/(^|\.)perplexity\.ai$/, GEN_AI_PROVIDER.PERPLEXITY],
  [/(^|\.)mistral\.ai$/, GEN_AI_PROVIDER.MISTRAL],
  [/generativelanguage\.googleapis\.com$/, GEN_AI_PROVIDER.GCP_GEMINI],
];

export type ServerInfo = ModelServer;

/**
 * The provider behind a client, from its class (AzureOpenAI) and base URL. Ollama's default port
 * (11434) is `ollama`; any other host uses `fallback` (by default `openai`, which prices OpenAI
 * model names served through proxies and leaves self-hosted models `unpriced`).
 */
export function serverInfo(
  client: ClientLike | undefined,
  overrides: readonly { baseURL: string; provider: string }[],
  fallback: string,
): ServerInfo {
  const base = client?.baseURL ?? 'https://api.openai.com/v1';
  const { address, port } = serverAddress(base);
  for (const o of overrides) {
    if (base.startsWith(o.baseURL)) return { provider: o.provider, address, port };
  }
  if (client?.constructor?.name === 'AzureOpenAI') {
    return { provider: GEN_AI_PROVIDER.AZURE_OPENAI, address, port };
  }
  if (address) {
    for (const [re, provider] of HOSTS) if (re.test(address)) return { provider, address, port };
    if (port === 11434) return { provider: 'ollama', address, port };
  }
  return { provider: fallback, address, port };
}
