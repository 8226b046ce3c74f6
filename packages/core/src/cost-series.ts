import type { MeteredPoint } from './cost-meter.ts';

/**
 * One LLM label set (service … model) and the points it feeds: a span whose labels match a
 * series seen before adds to its points directly, with no key string built and no labels object
 * made (the cost meter's per-span cost was mostly those).
 */
export interface LlmSeries {
  readonly values: readonly string[];
  /** The label values joined by NUL: the series' key in `CumulativeSums` (suffixes added there). */
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  cost: MeteredPoint | undefined;
  /** `burnrate.llm.tokens` points by index in `TOKEN_TYPES`. */
  readonly tokens: (MeteredPoint | undefined)[];
  /** `burnrate.llm.requests` points by cost source, for outcome `ok` and `error`. */
  readonly ok: Map<string, MeteredPoint>;
  readonly error: Map<string, MeteredPoint>;
}

/** The label names, in the order of `LlmSeries.values` (and of the labels objects made). */
const LABELS = [
  'service',
  'environment',
  'team',
  'endpoint',
  'tenant',
  'agent',
  'operation',
  'provider',
  'model',
] as const;

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** LLM series by their label values; the last one used is checked first (most spans repeat it). */
export class LlmSeriesIndex {
  readonly #byKey = new Map<string, LlmSeries>();
  #last: LlmSeries | undefined;

  get(values: string[]): LlmSeries {
    const last = this.#last;
    if (last && sameValues(values, last.values)) return last;
    const key = values.join('\0');
    let s = this.#byKey.get(key);
    if (!s) {
      const labels: Record<string, string> = {};
      for (let i = 0; i < LABELS.length; i++) labels[LABELS[i]] = values[i];
      s = { values, key, labels, cost: undefined, tokens: [], ok: new Map(), error: new Map() };
      this.#byKey.set(key, s);
    }
    this.#last = s;
    return s;
  }
}
