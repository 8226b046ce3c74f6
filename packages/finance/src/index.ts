export type { Command, CommandIo } from './command.ts';
export {
  PrometheusClient,
  type PrometheusClientOptions,
  PrometheusError,
} from './prometheus/client.ts';
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
