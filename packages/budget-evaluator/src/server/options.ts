import type { PrometheusConnection } from '../query/prometheus-connection.ts';
import type { Logger } from './log.ts';
import type { BudgetStatus } from './status.ts';

export interface EvaluatorOptions {
  configFile: string;
  prometheusUrl: string;
  /** Headers (a tenant), auth and TLS towards Prometheus; files are read at once. */
  prometheusConnection?: PrometheusConnection;
  /** One or more Alertmanagers (an HA cluster gets every alert at each member). */
  alertmanagerUrls: string[];
  intervalSeconds?: number;
  /** endsAt of firing alerts is this many intervals ahead (default 4). */
  resendIntervals?: number;
  /** Overrides `dashboard_url` of budgets.yaml. */
  dashboardUrl?: string;
  /** At most this long for one query (default: the cycle deadline). */
  queryTimeoutMs?: number;
  /**
   * A cycle must be done within this many ms (default max(60 s, 2 intervals)). A cycle that runs
   * out of time keeps the last results and alerts (data missing only after 5 minutes of that).
   */
  cycleDeadlineMs?: number;
  /** Milliseconds between checks of the config file for changes (default 2000). */
  reloadCheckMs?: number;
  /**
   * Before the first cost series is seen the evaluator is `waiting` (no alert). After this many
   * seconds from start, no cost series now although Prometheus had some in the last 7 days
   * (e.g. restarted during an outage) is missing data (default 600).
   */
  dataGraceSeconds?: number;
  /** The clock (epoch ms); tests move it across period boundaries. */
  now?: () => number;
  log?: Logger;
}

export interface StatusDocument {
  evaluatedAt: string | null;
  lastSuccessAt: string | null;
  dataMissing: boolean;
  /** Full text, for the evaluator's log and admins: may name the Prometheus URL. */
  dataMissingReason: string | null;
  dataMissingCode: MissingCode | null;
  /** A fresh install: no cost series seen yet; budgets are `waiting` and nothing alerts. */
  waitingForData: boolean;
  config: { file: string; loadedAt: string; budgets: number; lastReloadError: string | null };
  budgets: BudgetStatus[];
}

/** Why data is missing, without detail (what GET /api/v1/budgets shows). */
export type MissingCode =
  | 'cost_series_missing'
  | 'prometheus_unreachable'
  | 'prometheus_error'
  | 'deadline';
