import type { TokenCounts } from '@burnrate/pricing';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
} from './semconv.ts';

/** What Burnrate needs to price a span another instrumentation made. */
export interface ForeignUsage {
  provider: string;
  operation?: string;
  requestModel?: string;
  responseModel?: string;
  tokens: TokenCounts;
}

/**
 * Reads a finished span's attributes. Returns undefined when the span is not a model call this
 * reader knows, or `'skip'` when it is one that must not be priced (e.g. a wrapper span around a
 * call another span already records).
 */
export type UsageReader = (name: string, attrs: Attributes) => ForeignUsage | 'skip' | undefined;

const readers: UsageReader[] = [];

/** Adds a reader for another instrumentation's span shape; later readers are tried first. */
export function registerUsageReader(reader: UsageReader): void {
  if (!readers.includes(reader)) readers.unshift(reader);
}

export function num(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function str(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function first(attrs: Attributes, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = num(attrs[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The GenAI conventions (current and the earlier `prompt_tokens` / `gen_ai.system` names that
 * OpenLLMetry and older instrumentations still emit). `input_tokens` there counts cache tokens.
 */
export const semconvReader: UsageReader = (_name, attrs) => {
  const provider = str(attrs[ATTR_GEN_AI_PROVIDER_NAME]) ?? str(attrs['gen_ai.system']);
  const input = first(attrs, ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']);
  const output = first(attrs, ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']);
  if (!provider || (input === undefined && output === undefined)) return undefined;
  const tokens: TokenCounts = { input: input ?? 0, output: output ?? 0 };
  const cacheRead = first(attrs, [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
  ]);
  const cacheWrite = first(attrs, [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
  ]);
  const reasoning = first(attrs, ['gen_ai.usage.reasoning.output_tokens']);
  if (cacheRead) tokens.cacheRead = cacheRead;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  if (reasoning) tokens.reasoning = reasoning;
  return {
    provider,
    operation: str(attrs[ATTR_GEN_AI_OPERATION_NAME]),
    requestModel: str(attrs[ATTR_GEN_AI_REQUEST_MODEL]),
    responseModel: str(attrs[ATTR_GEN_AI_RESPONSE_MODEL]),
    tokens,
  };
};

export function readForeignUsage(
  name: string,
  attrs: Attributes,
): ForeignUsage | 'skip' | undefined {
  for (const reader of readers) {
    const r = reader(name, attrs);
    if (r !== undefined) return r;
  }
  return semconvReader(name, attrs);
}
