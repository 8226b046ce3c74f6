import type { Provider } from './types.ts';

/**
 * The key a model is matched on, the same function for the ledger's names and the export's.
 * OpenAI and Anthropic exports name models exactly as the API responses (and so the ledger) do:
 * matched as written, case aside. Bedrock's CUR names a model inside its usage type
 * (`USE1-Claude3.5Sonnet-input-tokens` → `Claude3.5Sonnet`) and Vertex's billing export inside a
 * SKU description (`Gemini 2.0 Flash Text Input - Predictions` → `Gemini 2.0 Flash`), while the
 * ledger has model IDs (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`, `gemini-2.0-flash-001`):
 * both sides lose the ARN, the cross-region prefix, the vendor, the version and date suffixes,
 * case and punctuation, and meet at `claude35sonnet` / `gemini20flash`.
 */
export function modelKey(provider: Provider, name: string): string {
  const n = name.trim().toLowerCase();
  if (provider === 'openai' || provider === 'anthropic') return n;
  let s = n.replace(/^arn:[^/]*\//, '').replace(/^publishers\/[^/]+\/models\//, '');
  if (provider === 'aws.bedrock') {
    s = s
      .replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, '')
      .replace(
        /^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|writer|openai|stability|twelvelabs|luma)\./,
        '',
      )
      .replace(/-v\d+(:\d+)?$/, '')
      .replace(/:\d+$/, '');
  } else {
    s = s.replace(/@.*$/, '').replace(/-\d{3}$/, '');
  }
  return s.replace(/-\d{8}$/, '').replace(/[^a-z0-9]/g, '');
}
