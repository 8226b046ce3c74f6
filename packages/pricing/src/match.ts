import type { MatchLogic } from '@pydantic/genai-prices';

/** A compiled catalog match rule; takes a lower-cased, trimmed model id. */
export type Matcher = (id: string) => boolean;

const compiled = new WeakMap<MatchLogic, Matcher>();

/**
 * Compiles genai-prices' MatchLogic exactly as its own matcher evaluates it: string rules compare
 * case-insensitively, `regex` runs as written against the lower-cased id.
 */
export function compileMatch(logic: MatchLogic): Matcher {
  const cached = compiled.get(logic);
  if (cached) return cached;
  const matcher = build(logic);
  compiled.set(logic, matcher);
  return matcher;
}

function build(logic: MatchLogic): Matcher {
  if ('or' in logic) {
    const parts = logic.or.map(compileMatch);
    return (id) => parts.some((m) => m(id));
  }
  if ('and' in logic) {
    const parts = logic.and.map(compileMatch);
    return (id) => parts.every((m) => m(id));
  }
  if ('equals' in logic) {
    const v = logic.equals.toLowerCase();
    return (id) => id === v;
  }
  if ('starts_with' in logic) {
    const v = logic.starts_with.toLowerCase();
    return (id) => id.startsWith(v);
  }
  if ('ends_with' in logic) {
    const v = logic.ends_with.toLowerCase();
    return (id) => id.endsWith(v);
  }
  if ('contains' in logic) {
    const v = logic.contains.toLowerCase();
    return (id) => id.includes(v);
  }
  if ('regex' in logic) {
    const re = new RegExp(logic.regex);
    return (id) => re.test(id);
  }
  return () => false;
}
