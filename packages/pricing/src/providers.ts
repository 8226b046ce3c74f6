import { catalogProvider, isCatalogProviderId } from './catalog.ts';

/**
 * `gen_ai.provider.name` values (OTel GenAI semconv, plus the names Burnrate gives OpenAI-compatible
 * hosts) -> genai-prices provider ids. `null` = self-hosted: unpriced unless the prices file prices it.
 */
const PROVIDER_ALIASES: Readonly<Record<string, string | null>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'gcp.gen_ai': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gemini': 'google',
  google: 'google',
  vertex_ai: 'google',
  gemini: 'google',
  'aws.bedrock': 'aws',
  bedrock: 'aws',
  aws: 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  azure: 'azure',
  cohere: 'cohere',
  mistral_ai: 'mistral',
  mistral: 'mistral',
  groq: 'groq',
  deepseek: 'deepseek',
  perplexity: 'perplexity',
  x_ai: 'x-ai',
  xai: 'x-ai',
  'x-ai': 'x-ai',
  together: 'together',
  together_ai: 'together',
  openrouter: 'openrouter',
  fireworks: 'fireworks',
  fireworks_ai: 'fireworks',
  ollama: null,
  vllm: null,
};

/**
 * The catalog provider id for a provider name: a known alias, else an exact catalog id (e.g.
 * 'cerebras', 'moonshotai'), else undefined (unpriced unless the prices file covers it).
 */
export function catalogProviderId(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  if (Object.hasOwn(PROVIDER_ALIASES, key)) return PROVIDER_ALIASES[key] ?? undefined;
  return catalogProvider(key) ? key : undefined;
}

/** `catalogProviderId` without reading a catalog file: an alias or an exact catalog id. */
export function knownCatalogProviderId(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  if (Object.hasOwn(PROVIDER_ALIASES, key)) return PROVIDER_ALIASES[key] ?? undefined;
  return isCatalogProviderId(key) ? key : undefined;
}

/** The key the prices file and the unpriced counter use for a provider: its catalog id if it has one. */
export function providerKey(name: string): string {
  const key = name.trim().toLowerCase();
  return catalogProviderId(key) ?? key;
}

/** Prefixes that name a provider in front of a model id (`openai/gpt-4o`, `anthropic:claude-...`). */
const PROVIDER_PREFIXES = new Set([
  'openai',
  'anthropic',
  'google',
  'google-gla',
  'google-vertex',
  'gemini',
  'vertex_ai',
  'vertex',
  'bedrock',
  'aws',
  'azure',
  'azure_ai',
  'cohere',
  'mistral',
  'mistralai',
  'mistral_ai',
  'groq',
  'deepseek',
  'perplexity',
  'xai',
  'x-ai',
  'x_ai',
  'together',
  'together_ai',
  'openrouter',
  'fireworks',
  'fireworks_ai',
]);

/** Bedrock cross-region inference-profile prefixes (`us.anthropic.claude-...`). */
const BEDROCK_REGION = /^(?:us|us-gov|eu|apac|ap|au|ca|jp|in|sa|global)\.(?=[a-z0-9-]+\.)/;

/**
 * Model ids to try, in order, for one catalog provider: the id as given first (the catalog knows
 * many prefixed forms itself, e.g. Bedrock's cheaper `global.` profiles and OpenRouter's
 * `vendor/model` ids), then with provider prefixes, ARN paths and Bedrock region prefixes removed.
 */
export function modelCandidates(model: string): string[] {
  const first = model.trim().toLowerCase();
  const out = [first];
  const add = (c: string) => {
    if (c && !out.includes(c)) out.push(c);
  };
  let id = first;
  // arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-... (inference-profile ARNs too)
  if (id.startsWith('arn:')) {
    id = id.slice(id.lastIndexOf('/') + 1);
    add(id);
  }
  // Gemini / Vertex resource names: models/gemini-2.5-pro, publishers/google/models/gemini-2.5-pro
  const models = id.lastIndexOf('models/');
  if (models >= 0 && (models === 0 || id[models - 1] === '/')) {
    id = id.slice(models + 'models/'.length);
    add(id);
  }
  for (let i = 0; i < 2; i++) {
    const m = /^([a-z0-9_-]+)[/:](.+)$/.exec(id);
    if (!m || !PROVIDER_PREFIXES.has(m[1])) break;
    id = m[2];
    add(id);
  }
  const region = BEDROCK_REGION.exec(id);
  if (region) add(id.slice(region[0].length));
  return out;
}
