// The Prometheus client is the budget evaluator's (one client for both packages).
export {
  PrometheusClient,
  type PrometheusClientOptions,
  PrometheusError,
  type PrometheusErrorKind,
} from '@burnrate/budget-evaluator';
export type { Command, CommandIo } from './command.ts';
export { clientFromArgs, UsageError } from './prometheus/options.ts';
export { buildReport, type ReportOptions } from './report/build.ts';
export { render, writeAll } from './report/command.ts';
export type { Report } from './report/model.ts';
export { type ReportPeriod, resolvePeriod } from './report/period.ts';
export {
  type ChargebackRules,
  ConfigError,
  loadRulesFile,
  parseRules,
} from './report/rules/load.ts';
