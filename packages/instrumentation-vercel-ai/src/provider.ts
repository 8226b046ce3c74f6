import { GEN_AI_PROVIDER } from '@burnrate/core';

/**
 * AI SDK provider ids (`ai.model.provider`: `openai.chat`, `openai.responses`,
 * `anthropic.messages`, `google.generative-ai`, `google.vertex.chat`, `amazon-bedrock`, ...) to
 * `gen_ai.provider.name`, the same mapping `@ai-sdk/otel` uses, so the two telemetry layouts
 * price alike. The first matching prefix wins.
 */
const PREFIXES: readonly [string, string][] = [
  ['google.vertex', GEN_AI_PROVIDER.GCP_VERTEX_AI],
  ['google-vertex', GEN_AI_PROVIDER.GCP_VERTEX_AI],
  ['google.generative-ai', GEN_AI_PROVIDER.GCP_GEMINI],
  ['amazon-bedrock', GEN_AI_PROVIDER.AWS_BEDROCK],
  ['azure-openai', GEN_AI_PROVIDER.AZURE_OPENAI],
  ['azure', 'azure.ai.inference'],
  ['anthropic', GEN_AI_PROVIDER.ANTHROPIC],
  ['openai', GEN_AI_PROVIDER.OPENAI],
  ['google', GEN_AI_PROVIDER.GCP_GEMINI],
  ['mistral', GEN_AI_PROVIDER.MISTRAL],
  ['cohere', GEN_AI_PROVIDER.COHERE],
  ['bedrock', GEN_AI_PROVIDER.AWS_BEDROCK],
  ['groq', GEN_AI_PROVIDER.GROQ],
  ['deepseek', GEN_AI_PROVIDER.DEEPSEEK],
  ['perplexity', GEN_AI_PROVIDER.PERPLEXITY],
  ['xai', GEN_AI_PROVIDER.X_AI],
  ['togetherai', 'together'],
  ['fireworks', 'fireworks'],
];

export function providerName(aiProvider: string): string {
  const lower = aiProvider.toLowerCase();
  for (const [prefix, mapped] of PREFIXES) {
    if (lower === prefix || lower.startsWith(`${prefix}.`) || lower.startsWith(`${prefix}-`))
      return mapped;
  }
  return aiProvider;
}

/**
 * The provider and model of a call. Calls through the Vercel AI Gateway (`gateway`) name the
 * upstream provider in the model id (`openai/gpt-4o-mini`): that provider prices them.
 */
export function resolveModel(
  aiProvider: string,
  modelId: string | undefined,
): { provider: string; model?: string } {
  if (aiProvider.toLowerCase().startsWith('gateway') && modelId?.includes('/')) {
    const slash = modelId.indexOf('/');
    return { provider: providerName(modelId.slice(0, slash)), model: modelId.slice(slash + 1) };
  }
  return { provider: providerName(aiProvider), model: modelId };
}
