import type { Report } from '../model.ts';
import { fromUnits } from '../money.ts';

/** The report with every amount in dollars (numbers with `decimals` digits). */
export function reportJson(r: Report): unknown {
  const usd = (units: number) => fromUnits(units, r.decimals);
  return {
    ...r,
    totals: {
      llm_usd: usd(r.totals.llm),
      vectordb_usd: usd(r.totals.vectordb),
      total_usd: usd(r.totals.total),
      exact_usd: r.totals.exactUsd,
    },
    showback: r.showback.map((s) => ({
      labels: s.labels,
      llm_usd: usd(s.llm),
      vectordb_usd: usd(s.vectordb),
      total_usd: usd(s.total),
      share: s.share,
      queries: s.queries,
    })),
    daily: r.daily.map((d) => ({
      day: d.day,
      start: d.start,
      end: d.end,
      llm_usd: usd(d.llm),
      vectordb_usd: usd(d.vectordb),
      total_usd: usd(d.total),
      queries: d.queries,
    })),
    chargeback: r.chargeback && {
      rules_file: r.chargeback.rulesFile,
      payer: r.chargeback.payer,
      rows: r.chargeback.rows.map((c) => ({
        payer: c.payer,
        direct_usd: usd(c.direct),
        shared_usd: usd(c.shared),
        subtotal_usd: usd(c.subtotal),
        markup_rate: c.markupRate,
        markup_usd: usd(c.markup),
        total_usd: usd(c.total),
        queries: c.queries,
      })),
      allocations: r.chargeback.allocations.map((a) => ({
        pool: a.pool,
        selector: a.selector,
        split: a.split,
        receiver: a.receiver,
        ratio: a.ratio,
        amount_usd: usd(a.amount),
        queries: a.queries,
      })),
      totals: Object.fromEntries(
        Object.entries(r.chargeback.totals).map(([k, v]) => [`${k}_usd`, usd(v)]),
      ),
    },
  };
}

export function renderJson(r: Report): string {
  return `${JSON.stringify(reportJson(r), null, 2)}\n`;
}
