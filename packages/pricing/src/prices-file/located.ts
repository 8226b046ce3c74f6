import type { Document, LineCounter } from 'yaml';
import { PricesFileError } from '../errors.ts';
import { yamlLib } from './yaml-lib.ts';

export type Path = readonly (string | number)[];

/** `['models', 1, 'input_per_mtok']` -> `models[1].input_per_mtok` */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** How a value reads in an error message: strings quoted, collections named. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Maps paths in the parsed document to 1-based line numbers, and raises PricesFileError. */
export class Located {
  readonly file: string;
  readonly displayName: string;
  readonly doc: Document;
  readonly lines: LineCounter;

  constructor(file: string, displayName: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.displayName = displayName;
    this.doc = doc;
    this.lines = lines;
  }

  /** Line of the value at `path`; with `key`, the line of the mapping key itself. */
  lineOf(path: Path, key = false): number | undefined {
    const { isMap, isNode, isScalar } = yamlLib();
    if (key && path.length > 0) {
      const parent =
        path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const last = path[path.length - 1];
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
        if (pair && isNode(pair.key) && pair.key.range) return this.lineAt(pair.key.range[0]);
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lineAt(node.range[0]);
    }
    return undefined;
  }

  private lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** Throws the one error for this file, pointing at `path`. */
  fail(path: Path, detail: string, key = false): never {
    throw new PricesFileError(
      this.displayName,
      detail,
      this.lineOf(path, key),
      path.length ? formatPath(path) : undefined,
    );
  }
}
