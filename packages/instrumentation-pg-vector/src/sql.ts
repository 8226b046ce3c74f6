/**
 * Recognises pgvector statements in SQL text, without a parser: a statement is a vector operation
 * when it uses a pgvector distance operator (`<->` L2, `<=>` cosine, `<#>` negative inner product,
 * `<+>` L1, `<~>` Hamming, `<%>` Jaccard) or writes vector values (a `::vector` / `::halfvec` /
 * `::sparsevec` cast, or a pgvector literal such as `'[1,2,3]'` in the text or the parameters).
 * Plain SQL gives `undefined` and is not recorded.
 */

export type PgVectorOperation = 'vector_search' | 'insert' | 'upsert' | 'update' | 'delete';

/** What the SQL text alone says (cached per text). */
export interface StatementShape {
  /** Leading keyword, lower case (`select`, `insert`, `update`, `delete`, `with`, ...). */
  keyword: string;
  distanceOperator: boolean;
  /** A vector cast or a vector literal in the text itself. */
  vectorInText: boolean;
  upsert: boolean;
  /** The table read from (search) or written to (insert/update/delete), unquoted. */
  table?: string;
  /** `LIMIT n` / `FETCH FIRST n ROWS`: a number, or the 1-based index of a `$n` parameter. */
  limit?: { value: number } | { param: number };
}

export interface VectorStatement {
  operation: PgVectorOperation;
  table?: string;
  topK?: number;
}

const DISTANCE = /<->|<=>|<#>|<\+>|<~>|<%>/;
const CAST = /::\s*(?:vector|halfvec|sparsevec)\b|\bas\s+(?:vector|halfvec|sparsevec)\b/i;
const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const DENSE = new RegExp(String.raw`^\s*\[\s*${NUM}(?:\s*,\s*${NUM})*\s*\]\s*$`);
const SPARSE = new RegExp(
  String.raw`^\s*\{\s*(?:\d+\s*:\s*${NUM}\s*(?:,\s*\d+\s*:\s*${NUM}\s*)*)?\}\s*/\s*\d+\s*$`,
);
const IDENT = String.raw`((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?)`;
const INSERT_TABLE = new RegExp(String.raw`\binsert\s+into\s+${IDENT}`, 'i');
const UPDATE_TABLE = new RegExp(String.raw`\bupdate\s+(?:only\s+)?${IDENT}`, 'i');
const DELETE_TABLE = new RegExp(String.raw`\bdelete\s+from\s+(?:only\s+)?${IDENT}`, 'i');
const FROM_TABLE = new RegExp(String.raw`\bfrom\s+(?:only\s+)?${IDENT}`, 'i');
const LIMIT = /\blimit\s+(\d+|\$\d+)|\bfetch\s+(?:first|next)\s+(\d+|\$\d+)\s+rows?\b/gi;
const UPSERT = /\bon\s+conflict\b[\s\S]*\bdo\s+update\b/i;

/** True for a pgvector text literal: `[1,2,3]` (vector, halfvec) or `{1:1,3:2}/5` (sparsevec). */
export function isVectorLiteral(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 2) return false;
  return DENSE.test(value) || SPARSE.test(value);
}

/** A parameter that carries a vector: a pgvector literal, or an object that serialises to one. */
export function isVectorParameter(value: unknown): boolean {
  if (typeof value === 'string') return isVectorLiteral(value);
  if (typeof value === 'object' && value !== null) {
    const toPostgres = (value as { toPostgres?: unknown }).toPostgres;
    if (typeof toPostgres === 'function') {
      // pgvector's SparseVector (and similar) serialise themselves.
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? '';
      return /vector/i.test(name);
    }
  }
  return false;
}

function unquote(ident: string): string {
  return ident
    .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) =>
      part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase(),
    )
    .join('.');
}

/**
 * Blanks out comments and the contents of string literals (so an operator inside a string is not
 * mistaken for one), and returns the literals apart. Identifiers in double quotes are kept.
 */
export function splitLiterals(sql: string): { code: string; literals: string[] } {
  let code = '';
  const literals: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      code += ' ';
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      code += ' ';
    } else if (c === "'") {
      let j = i + 1;
      let text = '';
      while (j < sql.length) {
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (sql[j] === "'") break;
        else text += sql[j++];
      }
      literals.push(text);
      code += "''";
      i = j + 1;
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && !/\d/.test(next ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      const end = tag ? sql.indexOf(tag[0], i + tag[0].length) : -1;
      if (!tag || end < 0) {
        code += c;
        i++;
      } else {
        literals.push(sql.slice(i + tag[0].length, end));
        code += "''";
        i = end + tag[0].length;
      }
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      code += sql.slice(i, stop);
      i = stop;
    } else {
      code += c;
      i++;
    }
  }
  return { code, literals };
}

function tableOf(code: string, keyword: string, distance: boolean): string | undefined {
  let m: RegExpExecArray | null = null;
  if (keyword === 'insert' || (keyword === 'with' && !distance)) m = INSERT_TABLE.exec(code);
  else if (keyword === 'update') m = UPDATE_TABLE.exec(code);
  else if (keyword === 'delete') m = DELETE_TABLE.exec(code);
  m ??= FROM_TABLE.exec(code);
  return m ? unquote(m[1]) : undefined;
}

function limitOf(code: string): StatementShape['limit'] {
  let last: string | undefined;
  for (const m of code.matchAll(LIMIT)) last = m[1] ?? m[2];
  if (!last) return undefined;
  return last.startsWith('$') ? { param: Number(last.slice(1)) } : { value: Number(last) };
}

/** Reads the parts of a statement that depend on its text only. */
export function shapeOf(sql: string): StatementShape {
  const { code, literals } = splitLiterals(sql);
  const keyword = /^[\s(]*([A-Za-z]+)/.exec(code)?.[1]?.toLowerCase() ?? '';
  const distanceOperator = DISTANCE.test(code);
  const vectorInText = CAST.test(code) || literals.some(isVectorLiteral);
  const effective = keyword === 'with' && /\binsert\s+into\b/i.test(code) ? 'insert' : keyword;
  return {
    keyword: effective,
    distanceOperator,
    vectorInText,
    upsert: effective === 'insert' && UPSERT.test(code),
    table: tableOf(code, effective, distanceOperator),
    limit: limitOf(code),
  };
}

const SHAPES = new Map<string, StatementShape>();
const SHAPE_CACHE_LIMIT = 500;
/** Statements longer than this (bulk inserts with inline values) are not cached. */
const CACHEABLE_LENGTH = 4096;

function cachedShape(sql: string): StatementShape {
  const hit = SHAPES.get(sql);
  if (hit) return hit;
  const shape = shapeOf(sql);
  if (sql.length <= CACHEABLE_LENGTH) {
    if (SHAPES.size >= SHAPE_CACHE_LIMIT) SHAPES.clear();
    SHAPES.set(sql, shape);
  }
  return shape;
}

function topKOf(
  limit: StatementShape['limit'],
  values: readonly unknown[] | undefined,
): number | undefined {
  if (!limit) return undefined;
  const raw = 'value' in limit ? limit.value : values?.[limit.param - 1];
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function writesVectors(shape: StatementShape, values: readonly unknown[] | undefined): boolean {
  return shape.vectorInText || (values?.some(isVectorParameter) ?? false);
}

/** Classifies one statement with its parameters; `undefined` for plain SQL. */
export function classifySql(sql: string, values?: readonly unknown[]): VectorStatement | undefined {
  // Parameters first: with any, the text is looked up anyway (no scans of it here).
  if (!values?.length && !sql.includes('<') && !/vector|\[|\{/i.test(sql)) return undefined;
  const shape = cachedShape(sql);
  let operation: PgVectorOperation | undefined;
  // Only a write is told by its parameters: they are read (a vector's text scanned) for no other.
  if (shape.keyword === 'insert')
    operation = writesVectors(shape, values) ? (shape.upsert ? 'upsert' : 'insert') : undefined;
  else if (shape.keyword === 'update')
    operation = shape.distanceOperator || writesVectors(shape, values) ? 'update' : undefined;
  else if (shape.keyword === 'delete') operation = shape.distanceOperator ? 'delete' : undefined;
  else if (shape.distanceOperator) operation = 'vector_search';
  if (!operation) return undefined;
  const statement: VectorStatement = { operation };
  if (shape.table) statement.table = shape.table;
  if (operation === 'vector_search') {
    const topK = topKOf(shape.limit, values);
    if (topK !== undefined) statement.topK = topK;
  }
  return statement;
}
