/**
 * Attribute names. The GenAI and database semantic conventions are still unstable in
 * `@opentelemetry/semantic-conventions` (incubating entry), so the names we use are copied here
 * instead of importing the incubating entry at run time.
 */

// GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/)
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS =
  'gen_ai.usage.cache_creation.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_HTTP_ROUTE = 'http.route';

export const GEN_AI_OPERATION = {
  CHAT: 'chat',
  TEXT_COMPLETION: 'text_completion',
  EMBEDDINGS: 'embeddings',
  GENERATE_CONTENT: 'generate_content',
  RERANK: 'rerank',
} as const;

export const GEN_AI_PROVIDER = {
  OPENAI: 'openai',
  AZURE_OPENAI: 'azure.ai.openai',
  ANTHROPIC: 'anthropic',
  AWS_BEDROCK: 'aws.bedrock',
  GCP_GEN_AI: 'gcp.gen_ai',
  GCP_VERTEX_AI: 'gcp.vertex_ai',
  GCP_GEMINI: 'gcp.gemini',
  COHERE: 'cohere',
  MISTRAL: 'mistral_ai',
  GROQ: 'groq',
  DEEPSEEK: 'deepseek',
  PERPLEXITY: 'perplexity',
  X_AI: 'x_ai',
} as const;

// Database semantic conventions (https://opentelemetry.io/docs/specs/semconv/database/)
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
export const ATTR_DB_NAMESPACE = 'db.namespace';

// Resource attributes
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

// Burnrate's own names (DESIGN.md)
export const ATTR_BURNRATE_COST_USD = 'burnrate.cost.usd';
export const ATTR_BURNRATE_COST_INPUT_USD = 'burnrate.cost.input_usd';
export const ATTR_BURNRATE_COST_OUTPUT_USD = 'burnrate.cost.output_usd';
export const ATTR_BURNRATE_COST_CACHE_READ_USD = 'burnrate.cost.cache_read_usd';
export const ATTR_BURNRATE_COST_CACHE_WRITE_USD = 'burnrate.cost.cache_write_usd';
export const ATTR_BURNRATE_COST_REQUEST_USD = 'burnrate.cost.request_usd';
export const ATTR_BURNRATE_COST_SOURCE = 'burnrate.cost.source';
export const ATTR_BURNRATE_PRICING_MODEL = 'burnrate.pricing.model';
export const ATTR_BURNRATE_PRICING_CATALOG = 'burnrate.pricing.catalog';
export const ATTR_BURNRATE_TEAM = 'burnrate.team';
export const ATTR_BURNRATE_ENDPOINT = 'burnrate.endpoint';
export const ATTR_BURNRATE_TENANT = 'burnrate.tenant';
export const ATTR_BURNRATE_VECTORDB_READ_UNITS = 'burnrate.vectordb.read_units';
export const ATTR_BURNRATE_VECTORDB_WRITE_UNITS = 'burnrate.vectordb.write_units';
export const ATTR_BURNRATE_VECTORDB_VECTORS = 'burnrate.vectordb.vectors';
export const ATTR_BURNRATE_VECTORDB_TOP_K = 'burnrate.vectordb.top_k';
/** Set when Burnrate changed a request (e.g. injected `stream_options.include_usage`). */
export const ATTR_BURNRATE_REQUEST_MODIFIED = 'burnrate.request.modified';
/**
 * Set (true) on a span whose cost, tokens and call count the process already counted in its own
 * cumulative metrics (cost-meter.ts): the Collector then makes no metric from the span.
 */
export const ATTR_BURNRATE_METERED = 'burnrate.metered';
/**
 * Set on a span whose tenant, endpoint or team was folded into `other` by the label cap
 * (label-cap.ts): the folded labels' names, comma-separated (`tenant`, `tenant,endpoint`). The
 * folded values are kept in `burnrate.tenant.original` etc. (span attributes, never labels).
 */
export const ATTR_BURNRATE_LABEL_OVERFLOW = 'burnrate.label.overflow';
export const ATTR_BURNRATE_TENANT_ORIGINAL = 'burnrate.tenant.original';
export const ATTR_BURNRATE_ENDPOINT_ORIGINAL = 'burnrate.endpoint.original';
export const ATTR_BURNRATE_TEAM_ORIGINAL = 'burnrate.team.original';
/** Set (true) on a stream's span ended because nobody read the stream any more (span-stream.ts). */
export const ATTR_BURNRATE_STREAM_ABANDONED = 'burnrate.stream.abandoned';

/**
 * Agent runs (agent-run.ts). `burnrate.agent` / `burnrate.tool` are written only by the label cap
 * when an agent or tool name is folded into `other` (the Collector's label prefers them).
 */
export const ATTR_BURNRATE_AGENT = 'burnrate.agent';
export const ATTR_BURNRATE_TOOL = 'burnrate.tool';
export const ATTR_BURNRATE_RUN_ID = 'burnrate.run.id';
/** 1-based index of a priced model call within its run. */
export const ATTR_BURNRATE_RUN_STEP = 'burnrate.run.step';
/** On the run span (`invoke_agent`): the run's totals, never counted as spend. */
export const ATTR_BURNRATE_RUN_COST_USD = 'burnrate.run.cost_usd';
export const ATTR_BURNRATE_RUN_CALLS = 'burnrate.run.calls';
export const ATTR_BURNRATE_RUN_UNPRICED_CALLS = 'burnrate.run.unpriced_calls';
export const ATTR_BURNRATE_RUN_INPUT_TOKENS = 'burnrate.run.input_tokens';
export const ATTR_BURNRATE_RUN_OUTPUT_TOKENS = 'burnrate.run.output_tokens';
export const GEN_AI_OPERATION_INVOKE_AGENT = 'invoke_agent';
/** The agent breaker (@burnrate/budget) on a refused or marked call. */
export const ATTR_BURNRATE_BREAKER_KIND = 'burnrate.breaker.kind';
export const ATTR_BURNRATE_BREAKER_MODE = 'burnrate.breaker.mode';
export const ATTR_BURNRATE_BREAKER_LIMIT = 'burnrate.breaker.limit';
export const ATTR_BURNRATE_BREAKER_VALUE = 'burnrate.breaker.value';

export type CostSource = 'usage' | 'estimated' | 'unpriced';
