/** The providers a reconciliation knows, named as the contract's `gen_ai.provider.name`. */
export const PROVIDERS = ['openai', 'anthropic', 'aws.bedrock', 'gcp.vertex_ai'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Token kinds, each counted once: `input` is uncached input only (cache reads and writes apart). */
export const KINDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;
export type Kind = (typeof KINDS)[number];
export type ByKind = Record<Kind, number>;

export function zeroKinds(): ByKind {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

export function addKinds(a: ByKind, b: ByKind): ByKind {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
  };
}

export function sumKinds(k: ByKind): number {
  return k.input + k.output + k.cacheRead + k.cacheWrite;
}

/**
 * One line of a provider's export in the common shape. A usage export gives tokens and no
 * dollars, a cost export dollars and no tokens; billing exports (CUR, Cloud Billing) give both.
 */
export interface ProviderRecord {
  /** UTC day the provider bucketed the usage in, YYYY-MM-DD. */
  day: string;
  provider: Provider;
  /** The provider's own name for the model, or null when the export is not grouped by model. */
  model: string | null;
  /** Non-token charges (web search, code execution, …): the ledger prices tokens only. */
  charge?: string;
  project: string | null;
  apiKey: string | null;
  /** Tokens by kind; null when the export has no token counts (a cost export). */
  tokens: ByKind | null;
  requests: number | null;
  /** Dollars by kind where the export splits them, and the total; null for a usage export. */
  usd: { total: number; byKind: Partial<ByKind> } | null;
  /** Where it came from, for messages: file:line. */
  source: string;
}

/** A bad export or ledger file: one message naming the file, line and field. */
export class ExportError extends Error {
  constructor(file: string, line: number | null, field: string, problem: string) {
    super(`${file}${line === null ? '' : `:${line}`}: ${field}: ${problem}`);
    this.name = 'ExportError';
  }
}
