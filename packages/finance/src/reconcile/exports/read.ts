import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseDocument } from 'yaml';
import { ExportError } from '../types.ts';

/** A file's text; `.gz` files are gunzipped. */
export function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new ExportError(file, null, 'file', `cannot read (${(err as { code?: string }).code})`);
  }
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

export type JsonPath = (string | number)[];

/** A parsed JSON document that can say on which line a value sits (for error messages). */
export interface JsonDoc {
  file: string;
  value: unknown;
  lineOf(path: JsonPath): number | null;
  fail(path: JsonPath, problem: string): never;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function pathText(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function readJson(file: string): JsonDoc {
  const text = readText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m
      ? lineAt(text, Number(m[1]))
      : (parseDocument(text).errors[0]?.linePos?.[0].line ?? null);
    throw new ExportError(file, line, 'json', `not valid JSON (${(err as Error).message})`);
  }
  let doc: ReturnType<typeof parseDocument> | undefined;
  const lineOf = (path: JsonPath): number | null => {
    doc ??= parseDocument(text);
    // The deepest node on the path that exists: a missing field is reported at its object.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
        return lineAt(text, node.range[0] as number);
      }
    }
    return null;
  };
  return {
    file,
    value,
    lineOf,
    fail(path, problem) {
      throw new ExportError(file, lineOf(path), pathText(path), problem);
    },
  };
}

/** Field readers over a JSON object: each names the path when the value is wrong. */
export class Fields {
  private readonly doc: JsonDoc;
  readonly obj: Record<string, unknown>;
  readonly path: JsonPath;

  constructor(doc: JsonDoc, obj: Record<string, unknown>, path: JsonPath) {
    this.doc = doc;
    this.obj = obj;
    this.path = path;
  }

  static of(doc: JsonDoc, value: unknown, path: JsonPath): Fields {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      doc.fail(path, 'expected an object');
    }
    return new Fields(doc, value as Record<string, unknown>, path);
  }

  fail(key: string, problem: string): never {
    return this.doc.fail([...this.path, key], problem);
  }

  array(key: string): unknown[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(key, 'expected an array');
    return v;
  }

  /** A non-negative integer count; absent or null is 0 when `optional`. */
  count(key: string, optional = false): number {
    const v = this.obj[key];
    if ((v === undefined || v === null) && optional) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.fail(key, `expected a whole number of tokens, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  number(key: string): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(key, `expected a number, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || v === '')
      this.fail(key, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  optString(key: string): string | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string')
      this.fail(key, `expected a string or null, got ${JSON.stringify(v)}`);
    return v;
  }

  /** RFC 3339 timestamp → UTC day. */
  day(key: string): string {
    const v = this.string(key);
    const t = Date.parse(v);
    if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(t))
      this.fail(key, `expected an RFC 3339 time, got "${v}"`);
    return new Date(t).toISOString().slice(0, 10);
  }

  child(key: string): Fields {
    return Fields.of(this.doc, this.obj[key], [...this.path, key]);
  }

  source(): string {
    return `${this.doc.file}:${this.doc.lineOf(this.path) ?? 1}`;
  }
}
