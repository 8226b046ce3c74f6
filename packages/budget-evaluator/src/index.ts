export { postAlerts } from './alerts/alertmanager.ts';
export {
  type AlertPayload,
  AlertTracker,
  DATA_INVALID_ALERT,
  DATA_MISSING_ALERT,
  THRESHOLD_ALERT,
} from './alerts/tracker.ts';
export {
  type ArgValues,
  PROMETHEUS_HEADER_OPTIONS,
  PROMETHEUS_HEADER_USAGE,
  PROMETHEUS_TLS_OPTIONS,
  PROMETHEUS_TLS_USAGE,
  parsePrometheusHeaders,
  parsePrometheusTls,
} from './cli-prometheus-args.ts';
export { loadConfigFile, parseConfig } from './config/load.ts';
export {
  type MatcherValue,
  matcherValue,
  selectorMatchers,
  validRegex,
} from './config/matchers.ts';
export { SELECTOR_LABELS } from './config/schema.ts';
export {
  ConfigError,
  type ConfigErrorClass,
  describeIssue,
  fieldName,
  type PathKey,
  readConfigText,
  YamlSource,
} from './config/yaml-source.ts';
export {
  type BudgetResult,
  type Evaluation,
  evaluateBudgets,
  SpendState,
} from './query/evaluate.ts';
export { cumulativeQuery, planGroups, type QueryGroup, spendQuery } from './query/plan.ts';
export {
  PrometheusClient,
  type PrometheusClientOptions,
  PrometheusError,
  type PrometheusErrorKind,
  type RangeSeries,
  type Sample,
} from './query/prometheus.ts';
export {
  ConnectionError,
  maskCredentials,
  type PrometheusConnection,
  redactUrl,
  userPassword,
} from './query/prometheus-connection.ts';
export {
  type Drop,
  locateQuery,
  type ResetGrid,
  resetGrid,
  seriesDrops,
  seriesKey,
} from './query/resets.ts';
export { compileMatchers, type MatchFn } from './query/selector.ts';
export { BudgetEvaluator, type EvaluatorOptions, type StatusDocument } from './server/evaluator.ts';
export {
  closeServer,
  type EvaluatorServer,
  type HttpOptions,
  serverPort,
  startEvaluatorServer,
  startHttpServer,
} from './server/http.ts';
export { publicStatus } from './server/public-status.ts';
export type { ReloadReport } from './server/reload.ts';
export { SecurityConfigError } from './server/security/tokens.ts';
export type { BudgetState, BudgetStatus } from './server/status.ts';
export { type PeriodSpec, type PeriodWindow, parsePeriod, periodWindow } from './time/period.ts';
export {
  type CalendarPeriod,
  calendarPeriod,
  isValidTimeZone,
  startOfDayAt,
  startOfLocalDay,
  type WallTime,
  wallTimeAt,
  zonedInstant,
} from './time/zoned.ts';
export type { Budget, BudgetConfig, Enforcement, Matcher, MatchOp, Threshold } from './types.ts';
