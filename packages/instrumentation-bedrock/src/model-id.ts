/** Bedrock cross-region inference-profile prefixes (`us.`, `eu.`, `apac.`, `global.` ...). */
const PROFILE_PREFIX = /^(?:us|us-gov|eu|apac|ap|au|ca|jp|in|sa|global)\./;

/**
 * The model family of a Bedrock model id (`anthropic`, `amazon`, `meta`, `cohere`, `mistral`,
 * `ai21`, ...), for an on-demand id, an inference-profile id or a foundation-model ARN; undefined
 * for ids that do not name one (a provisioned-throughput or application-profile ARN).
 */
export function modelFamily(modelId: string): string | undefined {
  let id = modelId.trim().toLowerCase();
  if (id.startsWith('arn:')) id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(PROFILE_PREFIX, '');
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : undefined;
}

/** Whether the model makes embeddings (priced on input only). */
export function isEmbeddingModel(modelId: string): boolean {
  return /embed/i.test(modelId);
}
