import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { parsePeriod } from '../time/period.ts';
import type { Budget, BudgetConfig, Matcher, Source, Threshold } from '../types.ts';
import { parseDuration } from './duration.ts';
import { configSchema, type RawConfig, type RawThreshold } from './schema.ts';

/** One clear configuration error: file, line, column, field and what is wrong. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly problem: string;

  constructor(file: string, line: number, column: number, field: string, problem: string) {
    super(`${file}:${line}:${column}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
    this.problem = problem;
  }
}

const DEFAULT_LOOKBACK = 3600;
const DEFAULT_STEP = 300;

type PathKey = string | number;

function fieldName(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/** Parses budgets.yaml text; throws ConfigError on the first problem. */
export function parseConfig(text: string, file: string): BudgetConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(file, pos.line, pos.col, '', `invalid YAML: ${msg}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    const path: PathKey[] = issue.path.filter(
      (k): k is PathKey => typeof k === 'string' || typeof k === 'number',
    );
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
    // Point at the deepest node that exists (a missing field points at its parent).
    let line = 1;
    let col = 1;
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        // For an unknown key, point at the key itself rather than its value.
        const pos = lineCounter.linePos(keyOffset(doc, path.slice(0, n)) ?? node.range[0]);
        line = pos.line;
        col = pos.col;
        break;
      }
    }
    const more = result.error.issues.length - 1;
    const problem =
      describeIssue(issue) + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
    throw new ConfigError(file, line, col, fieldName(path), problem);
  }
  return normalise(result.data, file);
}

function keyOffset(doc: ReturnType<typeof parseDocument>, path: PathKey[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!parent || typeof parent !== 'object' || !('items' in parent) || typeof last !== 'string') {
    return undefined;
  }
  const items = (parent as { items: unknown[] }).items;
  for (const item of items) {
    const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
    if (key?.value === last && key.range) return key.range[0];
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field (check the spelling)`;
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return 'required field is missing';
  return issue.message;
}

/** Reads and parses a budgets file; throws ConfigError (also for an unreadable file). */
export function loadConfigFile(file: string): BudgetConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new ConfigError(file, 0, 0, '', `cannot read the file (${code})`);
  }
  return parseConfig(text, file);
}

function toRatio(at: number | string): number {
  return typeof at === 'number' ? at : Number.parseFloat(at) / 100;
}

function toThresholds(raw: RawThreshold[]): Threshold[] {
  return raw
    .map((t) => ({ ratio: toRatio(t.at), kind: t.kind, severity: t.severity }))
    .sort((a, b) => a.ratio - b.ratio || a.kind.localeCompare(b.kind));
}

function normalise(raw: RawConfig, file: string): BudgetConfig {
  const d = raw.defaults ?? {};
  const budgets: Budget[] = raw.budgets.map((b) => {
    const matchers: Matcher[] = Object.entries(b.selector)
      .map(([label, v]): Matcher => {
        if (typeof v === 'string') return { label, op: '=', value: v };
        if ('equals' in v) return { label, op: '=', value: v.equals };
        if ('not_equals' in v) return { label, op: '!=', value: v.not_equals };
        if ('regex' in v) return { label, op: '=~', value: v.regex };
        return { label, op: '!~', value: v.not_regex };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
    const timeZone = b.timezone ?? d.timezone ?? 'UTC';
    const period = parsePeriod(b.period, timeZone);
    if (typeof period === 'string') throw new Error(period); // unreachable: validated
    const lookbackSeconds =
      parseDuration(b.forecast?.lookback ?? d.forecast?.lookback ?? '') ?? DEFAULT_LOOKBACK;
    const stepSeconds = parseDuration(b.forecast?.step ?? d.forecast?.step ?? '') ?? DEFAULT_STEP;
    const sources = [...new Set<Source>(b.sources ?? d.sources ?? ['llm', 'vectordb'])].sort();
    return {
      name: b.name,
      description: b.description ?? null,
      matchers,
      periodText: b.period,
      period,
      limitUsd: b.limit_usd,
      sources,
      thresholds: toThresholds(b.thresholds ?? d.thresholds ?? []),
      forecast: { lookbackSeconds, stepSeconds: Math.min(stepSeconds, lookbackSeconds) },
      enforcement: {
        mode: b.enforcement?.mode ?? 'record',
        degradeAt: b.enforcement?.degrade_at ?? null,
      },
    };
  });
  return { file, dashboardUrl: raw.dashboard_url ?? null, budgets };
}
