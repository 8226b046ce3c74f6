import type { Pricer } from '@burnrate/pricing';
import type { LedgerRow } from '../ledger/row.ts';

/** One provider × model: the ledger's dollars and the same calls priced with the prices file. */
export interface RepriceLine {
  provider: string;
  model: string;
  calls: number;
  /** Sum of cost_usd (null rows, unpriced in the ledger, count as 0 and in `ledgerUnpriced`). */
  ledgerUsd: number;
  ledgerUnpriced: number;
  repricedUsd: number;
  /** Calls the prices file (and the catalog) cannot price either. */
  repricedUnpriced: number;
}

/**
 * Re-prices the ledger's model calls from their tokens with `pricer` (a prices file over the catalog), as the
 * SDK would have priced them at the time of each call. Refused calls (never sent) and rows
 * without tokens (vector-database operations) are left out.
 */
export function reprice(rows: LedgerRow[], pricer: Pricer): RepriceLine[] {
  const lines = new Map<string, RepriceLine>();
  for (const r of rows) {
    if (r.costSource === 'refused' || r.provider === null) continue;
    if (r.inputTokens + r.outputTokens === 0) continue;
    const model = r.model ?? '(no model)';
    const key = `${r.provider}\u0000${model}`;
    let l = lines.get(key);
    if (!l) {
      l = {
        provider: r.provider,
        model,
        calls: 0,
        ledgerUsd: 0,
        ledgerUnpriced: 0,
        repricedUsd: 0,
        repricedUnpriced: 0,
      };
      lines.set(key, l);
    }
    l.calls++;
    if (r.costUsd === null) l.ledgerUnpriced++;
    else l.ledgerUsd += r.costUsd;
    const cost = pricer.priceModelCall({
      provider: r.provider,
      model,
      at: new Date(r.time),
      tokens: {
        input: r.inputTokens,
        output: r.outputTokens,
        cacheRead: r.cacheReadTokens,
        cacheWrite: r.cacheWriteTokens,
        reasoning: r.reasoningTokens,
      },
    });
    if (cost === undefined) l.repricedUnpriced++;
    else l.repricedUsd += cost.totalUsd;
  }
  return [...lines.values()].sort(
    (a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model),
  );
}
