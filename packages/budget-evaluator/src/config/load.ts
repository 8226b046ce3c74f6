import { parsePeriod } from '../time/period.ts';
import type { Budget, BudgetConfig, Source, Threshold } from '../types.ts';
import { parseDuration } from './duration.ts';
import { selectorMatchers } from './matchers.ts';
import { configSchema, type RawConfig, type RawThreshold } from './schema.ts';
import { ConfigError, readConfigText, YamlSource } from './yaml-source.ts';

export { ConfigError };

const DEFAULT_LOOKBACK = 3600;
const DEFAULT_STEP = 300;

/** Parses budgets.yaml text; throws ConfigError on the first problem. */
export function parseConfig(text: string, file: string): BudgetConfig {
  const source = new YamlSource(text, file, ConfigError);
  const result = configSchema.safeParse(source.data, { reportInput: true });
  if (!result.success) throw source.issueError(result.error);
  return normalise(result.data, file);
}

/** Reads and parses a budgets file; throws ConfigError (also for an unreadable file). */
export function loadConfigFile(file: string): BudgetConfig {
  return parseConfig(readConfigText(file, ConfigError), file);
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
    const matchers = selectorMatchers(b.selector).sort((a, b) => a.label.localeCompare(b.label));
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
