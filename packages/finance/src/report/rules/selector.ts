import {
  compileMatchers,
  type Matcher,
  type MatcherValue,
  type MatchOp,
  selectorMatchers,
  validRegex,
} from '@burnrate/budget-evaluator';
import { GROUP_LABELS } from '../spend.ts';

// Matchers and their PromQL semantics are the budget evaluator's (budgets.yaml's selectors).
export { compileMatchers, type Matcher, type MatchOp };

/** A selector as written in the rules file: PromQL text or a map like budgets.yaml's. */
export type RawSelector = string | Record<string, MatcherValue>;

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/;

/** Parses `team="platform", environment=~"prod.*"` (braces optional); an error message on failure. */
export function parseSelectorText(text: string): Matcher[] | string {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1);
  const out: Matcher[] = [];
  while (rest.trim() !== '') {
    const m = MATCHER.exec(rest);
    if (!m) return `expected label="value" matchers separated by commas, near "${rest.trim()}"`;
    out.push({ label: m[1], op: m[2] as MatchOp, value: m[3].replace(/\\(.)/g, '$1') });
    rest = rest.slice(m[0].length);
  }
  if (out.length === 0) return 'an empty selector matches everything: name at least one label';
  return out;
}

export function toMatchers(raw: RawSelector): Matcher[] | string {
  let matchers: Matcher[];
  if (typeof raw === 'string') {
    const parsed = parseSelectorText(raw);
    if (typeof parsed === 'string') return parsed;
    matchers = parsed;
  } else {
    matchers = selectorMatchers(raw);
    if (matchers.length === 0)
      return 'an empty selector matches everything: name at least one label';
  }
  for (const m of matchers) {
    if (!(GROUP_LABELS as readonly string[]).includes(m.label)) {
      return `unknown label "${m.label}"; a selector may use ${GROUP_LABELS.join(', ')}`;
    }
    if ((m.op === '=~' || m.op === '!~') && !validRegex(m.value)) {
      return `not a valid regular expression for ${m.label}: "${m.value}"`;
    }
  }
  return matchers;
}

/** PromQL text of matchers, e.g. `team="platform"`. */
export function selectorText(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
}
