/** One budget from the evaluator's GET /api/v1/budgets, reduced to what a gate needs. */
export interface EvaluatedBudget {
  name: string;
  matchers: { label: string; op: '=' | '!=' | '=~' | '!~'; value: string }[];
  match: (labels: Readonly<Record<string, string>>) => boolean;
  /** Does it count model calls (`sources` includes `llm`)? */
  llm: boolean;
  /**
   * `waiting`: no cost data yet on a fresh install (spent 0); `invalid_data`: Prometheus answered
   * NaN or an infinity for the spend (spent unknown: the poller keeps the budget's last valid
   * state, see poller.ts).
   */
  state: 'ok' | 'warning' | 'exceeded' | 'waiting' | 'invalid_data';
  limitUsd: number;
  spentUsd: number;
  utilization: number;
  mode: 'block' | 'degrade' | 'record';
  /** Fraction of the limit where `degrade` starts (1 when the budget names none). */
  degradeAt: number;
}

/** The evaluator answered something this version cannot read. */
export class EvaluatorResponseError extends Error {
  constructor(url: string, field: string, problem: string) {
    super(`budget evaluator ${url}: ${field}: ${problem}`);
    this.name = 'EvaluatorResponseError';
  }
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles matchers with the evaluator's (PromQL) semantics: anchored regexes, absent label = "". */
function compile(matchers: EvaluatedBudget['matchers']): EvaluatedBudget['match'] {
  const tests = matchers.map((m): ((v: string) => boolean) => {
    if (m.op === '=') return (v) => v === m.value;
    if (m.op === '!=') return (v) => v !== m.value;
    const re = new RegExp(`^(?:${m.value})$`, 'u');
    return m.op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
  });
  return (labels) => tests.every((t, i) => t(labels[matchers[i].label] ?? ''));
}

const OPS = new Set(['=', '!=', '=~', '!~']);
const STATES = new Set(['ok', 'warning', 'exceeded', 'waiting', 'invalid_data']);
const MODES = new Set(['block', 'degrade', 'record']);

/** Reads the status document; one error naming the first field it cannot read. */
export function parseStatus(url: string, doc: unknown): EvaluatedBudget[] {
  if (!isObj(doc) || !Array.isArray(doc.budgets)) {
    throw new EvaluatorResponseError(url, 'budgets', 'expected a list of budgets');
  }
  return doc.budgets.map((b: unknown, i): EvaluatedBudget => {
    const at = `budgets[${i}]`;
    const fail = (field: string, problem: string) =>
      new EvaluatorResponseError(url, `${at}.${field}`, problem);
    if (!isObj(b)) throw fail('', 'expected an object');
    if (typeof b.name !== 'string') throw fail('name', 'expected a string');
    const sel = b.selector;
    if (!isObj(sel) || !Array.isArray(sel.matchers))
      throw fail('selector.matchers', 'expected a list');
    const matchers = sel.matchers.map((m: unknown, j) => {
      if (
        !isObj(m) ||
        typeof m.label !== 'string' ||
        typeof m.value !== 'string' ||
        !OPS.has(String(m.op))
      ) {
        throw fail(`selector.matchers[${j}]`, 'expected { label, op (=, !=, =~, !~), value }');
      }
      return {
        label: m.label,
        op: m.op as EvaluatedBudget['matchers'][number]['op'],
        value: m.value,
      };
    });
    if (!STATES.has(String(b.state)))
      throw fail(
        'state',
        `expected ok, warning, exceeded, waiting or invalid_data, got ${JSON.stringify(b.state)}`,
      );
    if (typeof b.limitUsd !== 'number' || !Number.isFinite(b.limitUsd))
      throw fail('limitUsd', 'expected a number');
    // An invalid spend is null (unknown); so is a waiting budget's, which has spent nothing yet.
    const spendUnknown = b.state === 'invalid_data' || b.state === 'waiting';
    if (!(spendUnknown && b.spentUsd === null)) {
      if (typeof b.spentUsd !== 'number' || !Number.isFinite(b.spentUsd))
        throw fail('spentUsd', 'expected a number');
    }
    const limitUsd = b.limitUsd;
    const spentUsd = typeof b.spentUsd === 'number' ? b.spentUsd : 0;
    const enf = isObj(b.enforcement) ? b.enforcement : { mode: 'record' };
    if (!MODES.has(String(enf.mode)))
      throw fail(
        'enforcement.mode',
        `expected block, degrade or record, got ${JSON.stringify(enf.mode)}`,
      );
    const raw = enf.degradeAt ?? enf.degrade_at;
    let degradeAt = typeof raw === 'number' && raw > 0 ? raw : 1;
    if (degradeAt > 1) degradeAt /= 100; // written as a percentage
    let match: EvaluatedBudget['match'];
    try {
      match = compile(matchers);
    } catch (err) {
      throw fail('selector.matchers', `bad regular expression: ${(err as Error).message}`);
    }
    const sources = Array.isArray(b.sources) ? b.sources : ['llm'];
    return {
      name: b.name,
      matchers,
      match,
      llm: sources.includes('llm'),
      state: b.state as EvaluatedBudget['state'],
      limitUsd,
      spentUsd,
      utilization:
        typeof b.utilization === 'number' ? b.utilization : limitUsd > 0 ? spentUsd / limitUsd : 0,
      mode: enf.mode as EvaluatedBudget['mode'],
      degradeAt,
    };
  });
}
