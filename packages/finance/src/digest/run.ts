// One digest run: collect from Prometheus, render, deliver to every channel.
import { collectDigest } from './collect.ts';
import type { DigestConfig } from './config.ts';
import type { DigestData } from './data.ts';
import { type DeliveryDeps, type DeliveryResult, deliverDigest } from './deliver.ts';
import type { PromQuery } from './prometheus.ts';

export interface RunDeps extends DeliveryDeps {
  prometheus: PromQuery;
}

export interface RunOutcome {
  data: DigestData;
  deliveries: DeliveryResult[];
  /** Every channel delivered and every section computed. */
  ok: boolean;
}

export async function runDigest(
  config: DigestConfig,
  deps: RunDeps,
  opts: { now?: number; channels?: readonly string[]; deliver?: boolean } = {},
): Promise<RunOutcome> {
  const now = opts.now ?? (deps.now ?? Date.now)();
  const data = await collectDigest(deps.prometheus, {
    now,
    timeZone: config.timeZone,
    top: config.top,
    atRisk: config.atRisk,
    jump: config.jump,
    dashboardUrl: config.dashboardUrl,
  });
  const deliveries =
    opts.deliver === false ? [] : await deliverDigest(config, data, deps, opts.channels);
  return {
    data,
    deliveries,
    ok: data.problems.length === 0 && deliveries.every((d) => d.ok),
  };
}

/** One line per channel and problem, for logs (no secrets: errors never carry them). */
export function describeOutcome(outcome: RunOutcome): string[] {
  return [
    ...outcome.data.problems.map((p) => `digest: could not compute ${p}`),
    ...outcome.deliveries.map((d) =>
      d.ok
        ? `digest: delivered to ${d.channel} (${d.type}) in ${Math.round(d.durationMs)} ms`
        : `digest: delivery to ${d.channel} (${d.type}) failed: ${d.error}`,
    ),
  ];
}
