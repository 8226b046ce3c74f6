import { costSelector } from '../query/plan.ts';
import type { PrometheusClient } from '../query/prometheus.ts';

/** How far back the series API is asked whether cost series existed before. */
const HISTORY_MS = 7 * 86_400_000;

/**
 * Tells a fresh install (no cost series yet: `waiting`, nothing alerts) from data that vanished
 * (`missing`, alerts). Once a cost series has been seen, no cost series is missing data. An
 * evaluator (re)started while the data is gone waits the grace period, then asks Prometheus'
 * series API whether cost series existed in the last 7 days.
 */
export class FreshInstall {
  private seen = false;
  /** The last classification was `waiting`. */
  waiting = false;

  private readonly prom: PrometheusClient;
  private readonly startedAt: number;
  private readonly graceMs: number;

  constructor(prom: PrometheusClient, startedAt: number, graceMs: number) {
    this.prom = prom;
    this.startedAt = startedAt;
    this.graceMs = graceMs;
  }

  async classify(
    costSeriesMissing: boolean,
    now: number,
  ): Promise<'present' | 'waiting' | 'missing'> {
    if (!costSeriesMissing) this.seen = true;
    else if (!this.seen && now - this.startedAt >= this.graceMs) {
      const known = await this.prom.series(
        costSelector(['llm', 'vectordb']),
        now - HISTORY_MS,
        now,
      );
      this.seen = known.length > 0;
    }
    const state = !costSeriesMissing ? 'present' : this.seen ? 'missing' : 'waiting';
    this.waiting = state === 'waiting';
    return state;
  }
}
