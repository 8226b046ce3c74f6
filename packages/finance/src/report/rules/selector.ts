import { GROUP_LABELS } from '../spend.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

/** A selector as written in the rules file: PromQL text or a map like budgets.yaml's. */
export type RawSelector =
  | string
  | Record<
      string,
      | string
      | { equals: string }
      | { not_equals: string }
      | { regex: string }
      | { not_regex: string }
    >;

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
    matchers = Object.entries(raw).map(([label, v]): Matcher => {
      if (typeof v === 'string') return { label, op: '=', value: v };
      if ('equals' in v) return { label, op: '=', value: v.equals };
      if ('not_equals' in v) return { label, op: '!=', value: v.not_equals };
      if ('regex' in v) return { label, op: '=~', value: v.regex };
      return { label, op: '!~', value: v.not_regex };
    });
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

function validRegex(value: string): boolean {
  try {
    new RegExp(`^(?:${value})$`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Prometheus semantics: regexes are anchored, a missing label reads as "". */
export function compileMatchers(
  matchers: readonly Matcher[],
): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = matchers.map((m) => {
    if (m.op === '=') return (v: string) => v === m.value;
    if (m.op === '!=') return (v: string) => v !== m.value;
    const re = new RegExp(`^(?:${m.value})$`, 'u');
    return m.op === '=~' ? (v: string) => re.test(v) : (v: string) => !re.test(v);
  });
  return (labels) => matchers.every((m, i) => tests[i](labels[m.label] ?? ''));
}

/** PromQL text of matchers, e.g. `team="platform"`. */
export function selectorText(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
}
