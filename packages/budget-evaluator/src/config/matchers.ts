import { z } from 'zod';
import type { Matcher } from '../types.ts';

/**
 * A label selector as budgets.yaml (and the finance tools' chargeback rules) write it: a map of
 * label to a value (equality) or to one of `equals`, `not_equals`, `regex`, `not_regex`.
 * Regexes have PromQL's semantics: fully anchored, Unicode.
 */

/** Whether `value` compiles as an anchored PromQL regex. */
export function validRegex(value: string): boolean {
  try {
    new RegExp(`^(?:${value})$`, 'u');
    return true;
  } catch {
    return false;
  }
}

const regexString = z.string().refine(validRegex, { message: 'not a valid regular expression' });

/** One label's value in a selector map. */
export const matcherValue = z.union(
  [
    z.string(),
    z.strictObject({ equals: z.string() }),
    z.strictObject({ not_equals: z.string() }),
    z.strictObject({ regex: regexString }),
    z.strictObject({ not_regex: regexString }),
  ],
  {
    error:
      'expected a string (equality) or one of { equals | not_equals | regex | not_regex: <string> }',
  },
);

export type MatcherValue = z.infer<typeof matcherValue>;

/** The matchers of a selector map, in the map's order. */
export function selectorMatchers(selector: Readonly<Record<string, MatcherValue>>): Matcher[] {
  return Object.entries(selector).map(([label, v]): Matcher => {
    if (typeof v === 'string') return { label, op: '=', value: v };
    if ('equals' in v) return { label, op: '=', value: v.equals };
    if ('not_equals' in v) return { label, op: '!=', value: v.not_equals };
    if ('regex' in v) return { label, op: '=~', value: v.regex };
    return { label, op: '!~', value: v.not_regex };
  });
}
