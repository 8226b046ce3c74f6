import {
  ConfigError,
  type PathKey,
  readConfigText,
  describeIssue as schemaProblem,
  YamlSource,
} from '@burnrate/budget-evaluator';
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

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let v = data;
  for (const k of path) {
    v = v && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined;
  }
  return v;
}

/** A field whose value is absent is missing, whatever check failed on it (not only its type). */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const absent =
    issue.code !== 'custom' &&
    issue.code !== 'unrecognized_keys' &&
    valueAt(data, issue.path as PathKey[]) === undefined;
  return absent ? 'required field is missing' : schemaProblem(issue);
}

/** Parses chargeback rules text; throws ConfigError on the first problem. */
export function parseRules(text: string, file: string): ChargebackRules {
  const source = new YamlSource(text, file, ConfigError);
  const data = source.data;
  const result = rulesSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    // A misspelt key explains the "missing" field it was meant to be: report it first.
    throw source.issueError(
      result.error,
      (issue) => describeIssue(issue, data),
      (issues) => issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0],
    );
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
  return parseRules(readConfigText(file, ConfigError), file);
}
