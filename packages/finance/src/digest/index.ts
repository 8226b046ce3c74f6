export { DIGEST_USAGE, digestCommand } from './cli.ts';
export { type CollectOptions, collectDigest, costIncrease } from './collect.ts';
export {
  type Channel,
  type DigestConfig,
  DigestConfigError,
  loadDigestConfig,
  parseDigestConfig,
  type SmtpSettings,
} from './config.ts';
export { type DigestContent, digestContent } from './content.ts';
export type { BudgetRisk, DigestData, FiredAlert, Mover, SpendJump } from './data.ts';
export { type DeliveryResult, deliverDigest } from './deliver.ts';
export type { PromQuery, PromRangeSeries, PromSample } from './prometheus.ts';
export { renderHtml, renderSlack, renderText, renderWebhook } from './render.ts';
export { describeOutcome, type RunOutcome, runDigest } from './run.ts';
export { nextRun, parseSchedule, type Schedule } from './schedule.ts';
export { type SchedulerDeps, startDigestScheduler } from './scheduler.ts';
export { Secret } from './secret.ts';
export { type DigestServiceOptions, startDigestService } from './service.ts';
export { SmtpError, sendMail } from './smtp.ts';
