import { readFileSync } from 'node:fs';
import { ConfigError } from '@burnrate/budget-evaluator';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { GroupLabel } from '../spend.ts';
import { rulesSchema } from './schema.ts';
import { type Matcher, selectorText, toMatchers } from './selector.ts';

/** How a pool's spend is split: by the receivers' own spend, or by fixed ratios. */
export type Split =
  | { kind: 'usage'; receivers: string[] | null }
  | { kind: 'fixed'; shares: Array<{ payer: string; ratio: number }> };

export interface SharedPool {
  name: string;
  description: string | null;
  matchers: Matcher[];
  selector: string;
  split: Split;
}

export interface ChargebackRules {
  file: string;
  payer: GroupLabel;
  shared: SharedPool[];
  /** How spend whose payer is `unassigned` (or empty) is split; null: it stays unassigned. */
  unassigned: Split | null;
  /** Ratios (0.1 for 10%). */
  markup: { default: number; payers: Record<string, number> };
}

// Errors are the budget evaluator's ConfigError: `file:line:column: field: problem`, located
// the same way (the deepest YAML node of the failing path).
export { ConfigError };

type PathKey = string | number;

function fieldName(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

function locate(doc: Document, lines: LineCounter, path: PathKey[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lines.linePos(keyOffset(doc, path.slice(0, n)) ?? node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return { line: 1, col: 1 };
}

/** For a key that exists but whose value is wrong or unknown, point at the key. */
function keyOffset(doc: Document, path: PathKey[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!parent || typeof parent !== 'object' || !('items' in parent) || typeof last !== 'string') {
    return undefined;
  }
  for (const item of (parent as { items: unknown[] }).items) {
    const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
    if (key?.value === last && key.range) return key.range[0];
  }
  return undefined;
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let v = data;
  for (const k of path) {
    v = v && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined;
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'unrecognized_keys') return 'unknown field (check the spelling)';
  if (issue.code !== 'custom' && valueAt(data, issue.path as PathKey[]) === undefined) {
    return 'required field is missing';
  }
  return issue.message;
}

/** Parses chargeback rules text; throws ConfigError on the first problem. */
export function parseRules(text: string, file: string): ChargebackRules {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(file, pos.line, pos.col, '', `invalid YAML: ${msg}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const result = rulesSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    // A misspelt key explains the "missing" field it was meant to be: report it first.
    const issues = result.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
    const path: PathKey[] = issue.path.filter(
      (k): k is PathKey => typeof k === 'string' || typeof k === 'number',
    );
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
    const { line, col } = locate(doc, lines, path);
    const more = result.error.issues.length - 1;
    const problem =
      describeIssue(issue, data) +
      (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
    throw new ConfigError(file, line, col, fieldName(path), problem);
  }
  const raw = result.data;
  const toSplit = (s: { split: 'usage' | Record<string, string>; receivers?: string[] }): Split =>
    s.split === 'usage'
      ? { kind: 'usage', receivers: s.receivers ?? null }
      : {
          kind: 'fixed',
          shares: Object.entries(s.split).map(([payer, p]) => ({
            payer,
            ratio: Number.parseFloat(p) / 100,
          })),
        };
  const ratio = (p: string | undefined) => (p === undefined ? 0 : Number.parseFloat(p) / 100);
  return {
    file,
    payer: raw.payer,
    shared: raw.shared.map((p) => {
      const matchers = toMatchers(p.selector);
      if (typeof matchers === 'string') throw new Error(matchers); // unreachable: validated
      return {
        name: p.name,
        description: p.description ?? null,
        matchers,
        selector: selectorText(matchers),
        split: toSplit(p),
      };
    }),
    unassigned: raw.unassigned ? toSplit(raw.unassigned) : null,
    markup: {
      default: ratio(raw.markup?.default),
      payers: Object.fromEntries(
        Object.entries(raw.markup?.payers ?? {}).map(([k, v]) => [k, ratio(v)]),
      ),
    },
  };
}

/** Reads and parses a rules file; throws ConfigError (also for an unreadable file). */
export function loadRulesFile(file: string): ChargebackRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new ConfigError(file, 0, 0, '', `cannot read the file (${code})`);
  }
  return parseRules(text, file);
}
