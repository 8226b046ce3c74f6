import type { VectorPriceRule } from './prices-file/schema.ts';
import type { VectorCost, VectorOperationPriceInput } from './types.ts';

/** Version tag of the built-in vector-database prices below. */
export const VECTOR_DEFAULTS_VERSION = 'burnrate-vector-defaults@2026-11';

/**
 * Built-in prices ONLY where a provider publishes a price per unit that a response reports:
 * Pinecone serverless bills read units and write units. Standard plan, AWS us-east-1:
 * $16 per million read units, $4 per million write units (https://www.pinecone.io/pricing/,
 * as captured on 2026-11-04 in https://docs.flexprice.io/cookbooks/pricing-teardowns/pinecone-pricing;
 * other regions list $16-$18 / $4-$4.50, Enterprise more: set yours in the prices file).
 * Self-hosted databases (Chroma, Weaviate, pgvector/PostgreSQL, LanceDB, Milvus, Qdrant) and
 * clouds that bill by capacity rather than per operation have no default: their calls stay unpriced.
 */
export const DEFAULT_VECTOR_PRICES: readonly VectorPriceRule[] = [
  { dbSystem: 'pinecone', perMillionReadUnits: 16, perMillionWriteUnits: 4 },
];

function index(rules: readonly VectorPriceRule[]): Map<string, VectorPriceRule> {
  const m = new Map<string, VectorPriceRule>();
  for (const r of rules) m.set(`${r.dbSystem}\u0000${r.operation ?? ''}`, r);
  return m;
}

const defaults = index(DEFAULT_VECTOR_PRICES);

function finite(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

export class VectorPricer {
  private readonly user: Map<string, VectorPriceRule>;
  private readonly userVersion: string;

  constructor(rules: readonly VectorPriceRule[], userVersion: string) {
    this.user = index(rules);
    this.userVersion = userVersion;
  }

  /** Prices one operation: the prices file (operation rule, then database rule), then the built-ins. */
  price(input: VectorOperationPriceInput): VectorCost | undefined {
    const db = String(input.dbSystem ?? '')
      .trim()
      .toLowerCase();
    const op = String(input.operation ?? '')
      .trim()
      .toLowerCase();
    const opKey = `${db}\u0000${op}`;
    const dbKey = `${db}\u0000`;
    const userRule = (op ? this.user.get(opKey) : undefined) ?? this.user.get(dbKey);
    const rule = userRule ?? (op ? defaults.get(opKey) : undefined) ?? defaults.get(dbKey);
    if (!rule) return undefined;
    let total = 0;
    let priced = false;
    if (rule.perMillionReadUnits !== undefined && finite(input.readUnits)) {
      total += (input.readUnits * rule.perMillionReadUnits) / 1_000_000;
      priced = true;
    }
    if (rule.perMillionWriteUnits !== undefined && finite(input.writeUnits)) {
      total += (input.writeUnits * rule.perMillionWriteUnits) / 1_000_000;
      priced = true;
    }
    if (rule.perVector !== undefined && finite(input.vectors)) {
      total += input.vectors * rule.perVector;
      priced = true;
    }
    if (rule.perOperation !== undefined) {
      total += rule.perOperation;
      priced = true;
    }
    // A rule whose units this call did not report (e.g. a Pinecone upsert without write units)
    // leaves the call unpriced rather than priced at 0.
    if (!priced) return undefined;
    return {
      totalUsd: total,
      pricingModel: rule.operation ? `${rule.dbSystem}/${rule.operation}` : rule.dbSystem,
      catalogVersion: userRule ? this.userVersion : VECTOR_DEFAULTS_VERSION,
    };
  }
}
