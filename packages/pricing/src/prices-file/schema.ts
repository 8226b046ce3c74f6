import type { Located, Path } from './located.ts';
import { describe } from './located.ts';

/** Negotiated or missing model prices, USD per million tokens. */
export interface ModelPriceOverride {
  provider: string;
  model: string;
  inputPerMtok?: number;
  outputPerMtok?: number;
  cacheReadPerMtok?: number;
  cacheWritePerMtok?: number;
  cacheWrite1hPerMtok?: number;
  contextWindow?: number;
  /** Where it was written, for errors found after parsing. */
  index: number;
  line?: number;
}

export interface DiscountRule {
  provider: string;
  model?: string;
  multiplier: number;
  index: number;
  line?: number;
}

export interface VectorPriceRule {
  dbSystem: string;
  operation?: string;
  perMillionReadUnits?: number;
  perMillionWriteUnits?: number;
  perOperation?: number;
  perVector?: number;
}

export interface PricesConfig {
  /** Absolute path of the file. */
  file: string;
  displayName: string;
  models: ModelPriceOverride[];
  discounts: DiscountRule[];
  azureDeployments: Record<string, string>;
  vectorDatabases: VectorPriceRule[];
}

const TOP = ['version', 'models', 'discounts', 'azure_deployments', 'vector_databases'];
const MODEL_FIELDS = [
  'provider',
  'model',
  'input_per_mtok',
  'output_per_mtok',
  'cache_read_per_mtok',
  'cache_write_per_mtok',
  'cache_write_1h_per_mtok',
  'context_window',
];
const PRICE_FIELDS = MODEL_FIELDS.slice(2, 7);
const DISCOUNT_FIELDS = ['provider', 'model', 'multiplier'];
const VECTOR_FIELDS = [
  'db_system',
  'operation',
  'per_million_read_units',
  'per_million_write_units',
  'per_operation',
  'per_vector',
];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly at: Located;
  constructor(at: Located) {
    this.at = at;
  }

  mapping(v: unknown, path: Path, fields: readonly string[]): Obj {
    if (!isObj(v)) this.at.fail(path, `expected a mapping, got ${describe(v)}`);
    for (const k of Object.keys(v)) {
      if (!fields.includes(k)) {
        this.at.fail([...path, k], `unknown field (expected one of: ${fields.join(', ')})`, true);
      }
    }
    return v;
  }

  list(v: unknown, path: Path): unknown[] {
    // `models:` with every entry commented out is an empty list, not an error
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.at.fail(path, `expected a list, got ${describe(v)}`);
    return v;
  }

  text(o: Obj, path: Path, field: string, required: true): string;
  text(o: Obj, path: Path, field: string, required: false): string | undefined;
  text(o: Obj, path: Path, field: string, required: boolean): string | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (v === undefined) this.at.fail(path, `missing required field "${field}"`);
    if (typeof v !== 'string' || v.trim() === '') {
      this.at.fail([...path, field], `expected a non-empty string, got ${describe(v)}`);
    }
    return v.trim();
  }

  price(o: Obj, path: Path, field: string): number | undefined {
    const v = o[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      this.at.fail([...path, field], `expected a non-negative number, got ${describe(v)}`);
    }
    return v;
  }
}

/** Checks a parsed prices file against schema version 1 (see README) and normalises it. */
export function validate(root: unknown, at: Located): PricesConfig {
  const c = new Checker(at);
  const top = c.mapping(root, [], TOP);
  if (top.version === undefined) at.fail([], 'missing required field "version" (use `version: 1`)');
  if (top.version !== 1) at.fail(['version'], `expected 1, got ${describe(top.version)}`);

  const seenModels = new Set<string>();
  const models = c.list(top.models, ['models']).map((raw, index): ModelPriceOverride => {
    const path = ['models', index];
    const o = c.mapping(raw, path, MODEL_FIELDS);
    const provider = c.text(o, path, 'provider', true).toLowerCase();
    const model = c.text(o, path, 'model', true).toLowerCase();
    const key = `${provider}\u0000${model}`;
    if (seenModels.has(key))
      at.fail([...path, 'model'], `duplicate entry for ${provider}/${model}`);
    seenModels.add(key);
    if (!PRICE_FIELDS.some((f) => o[f] !== undefined)) {
      at.fail(path, `no price given (set at least one of: ${PRICE_FIELDS.join(', ')})`);
    }
    const cw = o.context_window;
    if (cw !== undefined && (typeof cw !== 'number' || !Number.isSafeInteger(cw) || cw <= 0)) {
      at.fail([...path, 'context_window'], `expected a positive whole number, got ${describe(cw)}`);
    }
    return {
      provider,
      model,
      inputPerMtok: c.price(o, path, 'input_per_mtok'),
      outputPerMtok: c.price(o, path, 'output_per_mtok'),
      cacheReadPerMtok: c.price(o, path, 'cache_read_per_mtok'),
      cacheWritePerMtok: c.price(o, path, 'cache_write_per_mtok'),
      cacheWrite1hPerMtok: c.price(o, path, 'cache_write_1h_per_mtok'),
      contextWindow: cw as number | undefined,
      index,
      line: at.lineOf(path),
    };
  });

  const seenDiscounts = new Set<string>();
  const discounts = c.list(top.discounts, ['discounts']).map((raw, index): DiscountRule => {
    const path = ['discounts', index];
    const o = c.mapping(raw, path, DISCOUNT_FIELDS);
    const provider = c.text(o, path, 'provider', true).toLowerCase();
    const model = c.text(o, path, 'model', false)?.toLowerCase();
    if (o.multiplier === undefined) at.fail(path, 'missing required field "multiplier"');
    const multiplier = c.price(o, path, 'multiplier') as number;
    const key = `${provider}\u0000${model ?? ''}`;
    if (seenDiscounts.has(key)) {
      at.fail(path, `duplicate discount for ${provider}${model ? `/${model}` : ''}`);
    }
    seenDiscounts.add(key);
    return { provider, model, multiplier, index, line: at.lineOf(path) };
  });

  const azureDeployments: Record<string, string> = {};
  if (top.azure_deployments !== undefined && top.azure_deployments !== null) {
    const path = ['azure_deployments'];
    if (!isObj(top.azure_deployments)) {
      at.fail(
        path,
        `expected a mapping of deployment name to model, got ${describe(top.azure_deployments)}`,
      );
    }
    for (const [name, base] of Object.entries(top.azure_deployments)) {
      if (typeof base !== 'string' || base.trim() === '') {
        at.fail([...path, name], `expected a model id, got ${describe(base)}`);
      }
      azureDeployments[name] = base.trim();
    }
  }

  const seenVector = new Set<string>();
  const vectorDatabases = c.list(top.vector_databases, ['vector_databases']).map((raw, index) => {
    const path = ['vector_databases', index];
    const o = c.mapping(raw, path, VECTOR_FIELDS);
    const dbSystem = c.text(o, path, 'db_system', true).toLowerCase();
    const operation = c.text(o, path, 'operation', false)?.toLowerCase();
    const key = `${dbSystem}\u0000${operation ?? ''}`;
    if (seenVector.has(key)) {
      at.fail(path, `duplicate price for ${dbSystem}${operation ? `/${operation}` : ''}`);
    }
    seenVector.add(key);
    const rule: VectorPriceRule = {
      dbSystem,
      operation,
      perMillionReadUnits: c.price(o, path, 'per_million_read_units'),
      perMillionWriteUnits: c.price(o, path, 'per_million_write_units'),
      perOperation: c.price(o, path, 'per_operation'),
      perVector: c.price(o, path, 'per_vector'),
    };
    if (VECTOR_FIELDS.slice(2).every((f) => o[f] === undefined)) {
      at.fail(path, `no price given (set at least one of: ${VECTOR_FIELDS.slice(2).join(', ')})`);
    }
    return rule;
  });

  return {
    file: at.file,
    displayName: at.displayName,
    models,
    discounts,
    azureDeployments,
    vectorDatabases,
  };
}
