import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { burnrateLogger } from './fail-open.ts';
import {
  ATTR_BURNRATE_AGENT,
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_ENDPOINT_ORIGINAL,
  ATTR_BURNRATE_LABEL_OVERFLOW,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_TEAM_ORIGINAL,
  ATTR_BURNRATE_TENANT,
  ATTR_BURNRATE_TENANT_ORIGINAL,
  ATTR_BURNRATE_TOOL,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_ROUTE,
} from './semconv.ts';

/**
 * Bounded label cardinality at the source. `burnrate.tenant`, `burnrate.endpoint` (or the
 * `http.route` the Collector falls back to) and `burnrate.team` become metric labels: a service
 * that puts user ids or raw paths there would flood the pipeline with series. Per process (one
 * service), each label keeps at most N distinct values, first come first kept; a later new value
 * is written as `other` on the span, so its dollars still count, under `other`.
 */
export type CappedLabel = 'tenant' | 'endpoint' | 'team' | 'agent' | 'tool';

export type LabelCapLimits = Record<CappedLabel, number>;

export const DEFAULT_LABEL_CAPS: Readonly<LabelCapLimits> = {
  tenant: 100,
  endpoint: 200,
  team: 50,
  agent: 50,
  tool: 50,
};

/** The value a folded label gets. */
export const OTHER = 'other';
/** Longest value kept as a label; longer ones are free text, not names. */
export const MAX_LABEL_LENGTH = 64;
/** How much of a folded value is kept on the span (never a label) for debugging. */
const MAX_ORIGINAL_LENGTH = 256;

const VARIABLES: Record<CappedLabel, string> = {
  tenant: 'BURNRATE_MAX_TENANTS',
  endpoint: 'BURNRATE_MAX_ENDPOINTS',
  team: 'BURNRATE_MAX_TEAMS',
  agent: 'BURNRATE_MAX_AGENTS',
  tool: 'BURNRATE_MAX_TOOLS',
};
// The attribute the label is written to when folded, and where the folded value is kept (the
// agent and tool names stay in their own gen_ai.* attributes, which the label only falls back to).
const ATTRIBUTES: Record<CappedLabel, readonly [label: string, original: string | undefined]> = {
  tenant: [ATTR_BURNRATE_TENANT, ATTR_BURNRATE_TENANT_ORIGINAL],
  endpoint: [ATTR_BURNRATE_ENDPOINT, ATTR_BURNRATE_ENDPOINT_ORIGINAL],
  team: [ATTR_BURNRATE_TEAM, ATTR_BURNRATE_TEAM_ORIGINAL],
  agent: [ATTR_BURNRATE_AGENT, undefined],
  tool: [ATTR_BURNRATE_TOOL, undefined],
};
const ORDER: readonly CappedLabel[] = ['tenant', 'endpoint', 'team', 'agent', 'tool'];

// A path segment that names one thing rather than a route: a number, a UUID, a long hex id
// (Mongo's ObjectId, hashes), or a long run of letters and digits mixed (generated ids, tokens).
const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{16,}$/i;
const LONG_RUN = /[a-z0-9]{20,}/gi;

function isIdSegment(segment: string): boolean {
  if (NUMBER.test(segment) || UUID.test(segment) || HEX_ID.test(segment)) return true;
  for (const run of segment.match(LONG_RUN) ?? []) {
    if (/\d/.test(run) && /[a-z]/i.test(run)) return true;
  }
  return false;
}

/**
 * A value that cannot be a bounded name: longer than 64 characters, or (endpoints) a raw path or
 * URL with ids or a query string instead of a route template. Checked only for values not seen.
 */
export function isUnboundedValue(label: CappedLabel, value: string): boolean {
  if (value.length > MAX_LABEL_LENGTH) return true;
  if (label !== 'endpoint') return false;
  if (value.includes('?') || value.includes('#')) return true;
  return value.includes('/') && value.split('/').some(isIdSegment);
}

interface LabelState {
  readonly label: CappedLabel;
  readonly limit: number;
  readonly seen: Set<string>;
  folded: number;
  warnedCap: boolean;
  warnedUnbounded: boolean;
}

interface WritableSpan {
  readonly attributes: Attributes;
  setAttributes(attributes: Attributes): unknown;
}

function asText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** The cap on distinct values per label, for one process. */
export class LabelCap {
  readonly #states: Record<CappedLabel, LabelState>;

  constructor(limits: Partial<LabelCapLimits> = {}) {
    const state = (label: CappedLabel): LabelState => ({
      label,
      limit: limits[label] ?? DEFAULT_LABEL_CAPS[label],
      seen: new Set(),
      folded: 0,
      warnedCap: false,
      warnedUnbounded: false,
    });
    this.#states = {
      tenant: state('tenant'),
      endpoint: state('endpoint'),
      team: state('team'),
      agent: state('agent'),
      tool: state('tool'),
    };
  }

  /**
   * Folds a priced span's label attributes in place. A value seen before costs one Set lookup.
   * A folded label gets `other` (`burnrate.agent` / `burnrate.tool` for the agent and tool, whose
   * names stay in `gen_ai.*`), a folded tenant, endpoint or team moves to
   * `burnrate.<label>.original`, and `burnrate.label.overflow` names the folded labels.
   */
  apply(span: WritableSpan): void {
    const a = span.attributes;
    const st = this.#states;
    // Each label as the Collector makes it: the endpoint falls back to http.route, the agent and
    // tool to their gen_ai.* names. Folding writes the first attribute, which wins there.
    const tenant = this.#folded(st.tenant, a[ATTR_BURNRATE_TENANT]);
    const endpoint = this.#folded(
      st.endpoint,
      asText(a[ATTR_BURNRATE_ENDPOINT]) ?? a[ATTR_HTTP_ROUTE],
    );
    const team = this.#folded(st.team, a[ATTR_BURNRATE_TEAM]);
    const agent = this.#folded(
      st.agent,
      asText(a[ATTR_BURNRATE_AGENT]) ?? a[ATTR_GEN_AI_AGENT_NAME],
    );
    const tool = this.#folded(st.tool, asText(a[ATTR_BURNRATE_TOOL]) ?? a[ATTR_GEN_AI_TOOL_NAME]);
    // Nothing folded (nearly every span): nothing allocated.
    if (
      tenant === undefined &&
      endpoint === undefined &&
      team === undefined &&
      agent === undefined &&
      tool === undefined
    )
      return;
    const folded: Record<CappedLabel, string | undefined> = { tenant, endpoint, team, agent, tool };
    let out: Attributes | undefined;
    const labels: CappedLabel[] = [];
    for (const label of ORDER) {
      const original = folded[label];
      if (original === undefined) continue;
      const [name, originalName] = ATTRIBUTES[label];
      out ??= {};
      out[name] = OTHER;
      if (originalName) out[originalName] = original.slice(0, MAX_ORIGINAL_LENGTH);
      labels.push(label);
    }
    if (!out) return;
    out[ATTR_BURNRATE_LABEL_OVERFLOW] = labels.join(',');
    span.setAttributes(out);
  }

  /** The value when it is folded into `other` (and counted); undefined when it stays. */
  #folded(state: LabelState, raw: AttributeValue | undefined): string | undefined {
    const value = asText(raw);
    if (value === undefined || this.#keep(state, value)) return undefined;
    return value;
  }

  /** Per label: its cap, the distinct values kept, and how many spans were folded into `other`. */
  stats(): Record<CappedLabel, { limit: number; values: number; folded: number }> {
    const s = (x: LabelState) => ({ limit: x.limit, values: x.seen.size, folded: x.folded });
    const st = this.#states;
    return {
      tenant: s(st.tenant),
      endpoint: s(st.endpoint),
      team: s(st.team),
      agent: s(st.agent),
      tool: s(st.tool),
    };
  }

  /** True when the value may stay; false when it is folded into `other` (and counted). */
  #keep(state: LabelState, value: string): boolean {
    if (state.seen.has(value) || value === OTHER) return true;
    if (isUnboundedValue(state.label, value)) {
      state.folded++;
      if (!state.warnedUnbounded) {
        state.warnedUnbounded = true;
        burnrateLogger.warn(
          `label "${state.label}": a value that is not a bounded name (over ${MAX_LABEL_LENGTH} characters${state.label === 'endpoint' ? ', or a raw path or URL with ids or a query' : ''}) is recorded as "${OTHER}"; use a route template or a short name`,
        );
      }
      return false;
    }
    if (state.seen.size < state.limit) {
      state.seen.add(value);
      return true;
    }
    state.folded++;
    if (!state.warnedCap) {
      state.warnedCap = true;
      burnrateLogger.warn(
        `label "${state.label}" reached its cap of ${state.limit} distinct values in this process; new values are recorded as "${OTHER}" (raise it with ${VARIABLES[state.label]} or BURNRATE_MAX_LABEL_VALUES)`,
      );
    }
    return false;
  }
}

/**
 * Caps from `BURNRATE_MAX_LABEL_VALUES` (every label) and `BURNRATE_MAX_TENANTS`,
 * `BURNRATE_MAX_ENDPOINTS`, `BURNRATE_MAX_TEAMS` (one label; they win). A value that is not a
 * positive whole number is reported (naming the variable) and the default is kept.
 */
export function labelCapLimitsFromEnv(
  env: Record<string, string | undefined>,
  report: (message: string) => void,
): LabelCapLimits {
  const read = (variable: string): number | undefined => {
    const raw = env[variable]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (Number.isInteger(value) && value > 0) return value;
    report(
      `${variable}: expected a positive whole number, got ${JSON.stringify(raw)}; using the default`,
    );
    return undefined;
  };
  const all = read('BURNRATE_MAX_LABEL_VALUES');
  const limits = { ...DEFAULT_LABEL_CAPS };
  for (const label of Object.keys(VARIABLES) as CappedLabel[]) {
    limits[label] = read(VARIABLES[label]) ?? all ?? DEFAULT_LABEL_CAPS[label];
  }
  return limits;
}

let processCap: LabelCap | undefined;

/**
 * The process's cap, shared by every BurnrateSpanProcessor: from the environment on first use
 * (a bad variable is reported once through the diag logger), unless `configureLabelCaps` set it.
 */
export function processLabelCap(): LabelCap {
  processCap ??= new LabelCap(
    labelCapLimitsFromEnv(process.env, (m) => burnrateLogger.warn(`configuration error: ${m}`)),
  );
  return processCap;
}

/** Sets the process's caps (`@burnrate/auto` does, from the environment, at start). */
export function configureLabelCaps(limits: Partial<LabelCapLimits>): LabelCap {
  processCap = new LabelCap(limits);
  return processCap;
}
