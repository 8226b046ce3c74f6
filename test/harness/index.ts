/**
 * Test harness for the real pipeline: Collector, Prometheus, Alertmanager on free loopback
 * ports, with temp dirs, logs in test/.artifacts/, and cleanup on stop and on process exit.
 * See test/harness/README.md.
 */
export {
  type AlertmanagerHandle,
  type AmAlert,
  startAlertmanager,
  webhookConfig,
} from './alertmanager.ts';
export {
  type CollectorHandle,
  parseExposition,
  scrapeCollector,
  startCollector,
} from './collector.ts';
export { diffSeries, toSeries } from './compare.ts';
export { spawnEvaluator } from './evaluator.ts';
export {
  baseLabels,
  type ExpectedMetrics,
  expectedMetrics,
  type Series,
  seriesKey,
  sumBy,
  total,
} from './expected.ts';
export { decodeOtlpJson, type OtlpRecorder, startOtlpRecorder } from './otlp-recorder.ts';
export { freePort, freePorts } from './ports.ts';
export {
  artifactsDir,
  type ManagedProcess,
  makeTempDir,
  removeTempDir,
  spawnManaged,
  waitUntil,
} from './process.ts';
export {
  type PrometheusHandle,
  type Sample,
  type ScrapeTarget,
  startPrometheus,
} from './prometheus.ts';
export {
  type DecodedSpan,
  type DecodedValue,
  decodeOtlpProto,
  otlp,
  otlpJsonRequest,
  postOtlpJson,
  type RawAttrs,
  type RawSpan,
  type RawValue,
} from './raw-otlp.ts';
export {
  differences,
  keyed,
  type QueryClient,
  queryClient,
  REMOTE_WRITE_OVERLAY,
  type RemoteWriteCollector,
  scrapeSum,
  startRemoteWriteCollector,
} from './remote-write.ts';
export { run } from './run.ts';
export { type Attrs, type SpanSpec, sendSpans } from './spans.ts';
export {
  COLLECTOR_VERSION,
  CURRENT_ALERTMANAGER_VERSION,
  CURRENT_PROMETHEUS_VERSION,
  repoRoot,
  tools,
} from './tools.ts';
export { generateTraffic, TRAFFIC_MODELS } from './traffic.ts';
export {
  startVictoriaMetrics,
  VICTORIAMETRICS_VERSION,
  type VictoriaMetricsHandle,
  victoriaMetricsBin,
} from './victoriametrics.ts';
export { startWebhookReceiver, type WebhookNotification, type WebhookReceiver } from './webhook.ts';
