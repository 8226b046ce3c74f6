import type { Provider, ProviderRecord } from '../types.ts';
import { parseAnthropic } from './anthropic.ts';
import { parseBedrockCur } from './bedrock-cur.ts';
import { parseOpenAi } from './openai.ts';
import { parseVertexBilling } from './vertex-billing.ts';

const PARSERS: Record<Provider, (file: string) => ProviderRecord[]> = {
  openai: parseOpenAi,
  anthropic: parseAnthropic,
  'aws.bedrock': parseBedrockCur,
  'gcp.vertex_ai': parseVertexBilling,
};

/** One provider export file in the common shape. */
export function parseExport(provider: Provider, file: string): ProviderRecord[] {
  return PARSERS[provider](file);
}

export { parseAnthropic, parseBedrockCur, parseOpenAi, parseVertexBilling };
