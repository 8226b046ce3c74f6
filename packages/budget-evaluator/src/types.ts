import type { PeriodSpec } from './time/period.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

export type Source = 'llm' | 'vectordb';
export type ThresholdKind = 'actual' | 'forecast';

export interface Threshold {
  /** Fraction of the limit, e.g. 0.5 for 50 %. */
  ratio: number;
  kind: ThresholdKind;
  severity: string;
}

export interface Enforcement {
  mode: 'block' | 'degrade' | 'record';
  degradeAt: number | null;
}

export interface Budget {
  name: string;
  description: string | null;
  matchers: Matcher[];
  /** The period as written in budgets.yaml, e.g. `monthly` or `rolling-7d`. */
  periodText: string;
  period: PeriodSpec;
  limitUsd: number;
  sources: Source[];
  thresholds: Threshold[];
  forecast: { lookbackSeconds: number; stepSeconds: number };
  enforcement: Enforcement;
}

export interface BudgetConfig {
  file: string;
  dashboardUrl: string | null;
  budgets: Budget[];
}

export const COST_METRICS: Record<Source, string> = {
  llm: 'burnrate_llm_cost_usd_total',
  vectordb: 'burnrate_vectordb_cost_usd_total',
};
