import type { Matcher } from '../types.ts';

export type LabelSet = Readonly<Record<string, string>>;
export type MatchFn = (labels: LabelSet) => boolean;

/** Compiles matchers with PromQL semantics: regexes are fully anchored; an absent label is "". */
export function compileMatchers(matchers: readonly Matcher[]): MatchFn {
  const tests = matchers.map((m): ((v: string) => boolean) => {
    switch (m.op) {
      case '=':
        return (v) => v === m.value;
      case '!=':
        return (v) => v !== m.value;
      case '=~': {
        const re = new RegExp(`^(?:${m.value})$`, 'u');
        return (v) => re.test(v);
      }
      default: {
        const re = new RegExp(`^(?:${m.value})$`, 'u');
        return (v) => !re.test(v);
      }
    }
  });
  const labels = matchers.map((m) => m.label);
  return (set) => tests.every((t, i) => t(set[labels[i]] ?? ''));
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** PromQL text of a selector, e.g. `{team="search",model=~"gpt-.*"}` (for humans and docs). */
export function formatSelector(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.label}${m.op}"${escapeValue(m.value)}"`).join(',')}}`;
}

/** The labels that become alert and gauge labels: the budget's equality matchers. */
export function equalityLabels(matchers: readonly Matcher[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of matchers) if (m.op === '=') out[m.label] = m.value;
  return out;
}
