import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/**
 * A YAML configuration file read for one clear error: `file:line:column: field: problem`, at the
 * deepest node of the failing path that exists (for a key, the key itself). The budgets file,
 * the chargeback rules and the digest config all report their errors through it.
 */

/** One clear configuration error: file, line, column, field and what is wrong. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly problem: string;

  constructor(file: string, line: number, column: number, field: string, problem: string) {
    super(`${file}:${line}:${column}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
    this.problem = problem;
  }
}

/** Makes the error a file reports (a subclass of ConfigError, to name its kind of file). */
export type ConfigErrorClass<E extends ConfigError> = new (
  file: string,
  line: number,
  column: number,
  field: string,
  problem: string,
) => E;

export type PathKey = string | number;

/** `budgets[0].selector.team`: a path as the user reads it. */
export function fieldName(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/** A file's text; an unreadable file is the file's error too (line 0). */
export function readConfigText<E extends ConfigError>(file: string, Err: ConfigErrorClass<E>) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new Err(file, 0, 0, '', `cannot read the file (${code})`);
  }
}

/** What most schema issues mean to the user: a misspelt key, a missing field, or zod's message. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'unknown field (check the spelling)';
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return 'required field is missing';
  return issue.message;
}

export class YamlSource<E extends ConfigError> {
  readonly file: string;
  /** The document as plain data (what the schema checks). */
  readonly data: unknown;
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #Err: ConfigErrorClass<E>;

  /** Parses `text`; a YAML syntax error (duplicate keys included) is thrown, located. */
  constructor(text: string, file: string, Err: ConfigErrorClass<E>) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lines.linePos(e.pos[0]);
      const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new Err(file, pos.line, pos.col, '', `invalid YAML: ${msg}`);
    }
    this.file = file;
    this.data = doc.toJS() ?? {};
    this.#doc = doc;
    this.#lines = lines;
    this.#Err = Err;
  }

  /** The error of `path`, at the deepest node of it that exists (a key is pointed at, not its value). */
  error(path: readonly PathKey[], problem: string): E {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const node = n === 0 ? this.#doc.contents : this.#doc.getIn(sub, true);
      if (isNode(node) && node.range) {
        const pos = this.#lines.linePos(this.#keyOffset(sub) ?? node.range[0]);
        return new this.#Err(this.file, pos.line, pos.col, fieldName(path), problem);
      }
    }
    return new this.#Err(this.file, 1, 1, fieldName(path), problem);
  }

  /**
   * The error of a failed schema check: its first issue (`pick` may choose another), located at
   * its field (an unknown key at the key), with how many more problems there are.
   */
  issueError(
    error: z.ZodError,
    describe: (issue: z.core.$ZodIssue) => string = describeIssue,
    pick: (issues: readonly z.core.$ZodIssue[]) => z.core.$ZodIssue = (issues) => issues[0],
  ): E {
    const issue = pick(error.issues);
    const path: PathKey[] = issue.path.filter(
      (k): k is PathKey => typeof k === 'string' || typeof k === 'number',
    );
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
    const more = error.issues.length - 1;
    const problem =
      describe(issue) + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
    return this.error(path, problem);
  }

  #keyOffset(path: readonly PathKey[]): number | undefined {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return undefined;
    const parent =
      path.length === 1 ? this.#doc.contents : this.#doc.getIn(path.slice(0, -1), true);
    if (!parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
    for (const item of (parent as { items: unknown[] }).items) {
      const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
      if (key?.value === last && key.range) return key.range[0];
    }
    return undefined;
  }
}
