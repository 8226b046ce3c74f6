import type { AllocationRow, Chargeback, ChargebackRow } from './model.ts';
import { apportion } from './money.ts';
import type { ChargebackRules, Split } from './rules/load.ts';
import { compileMatchers } from './rules/selector.ts';
import type { SpendRow } from './spend.ts';

/** Payer values that mean "nobody": the label fallback and a missing label. */
export const UNASSIGNED = new Set(['unassigned', '']);
const UNASSIGNED_POOL = 'unassigned';

/** The labels the chargeback query must group by: the payer and every selector's labels. */
export function chargebackLabels(rules: ChargebackRules): string[] {
  const labels = new Set<string>([rules.payer]);
  for (const p of rules.shared) for (const m of p.matchers) labels.add(m.label);
  return [...labels].sort();
}

interface Pool {
  name: string;
  selector: string;
  split: Split;
  amount: number;
  queries: Set<string>;
}

interface Allocation {
  pool: Pool;
  receiver: string;
  ratio: number;
  split: AllocationRow['split'];
}

function addAll(to: Set<string>, ids: readonly string[]) {
  for (const id of ids) to.add(id);
}

/**
 * Allocates the period's spend to payers: each row goes to the first shared pool whose
 * selector matches it, else (payer unassigned, with an `unassigned` rule) to the unassigned
 * pool, else to its payer directly. Pools are split by the receivers' direct spend or fixed
 * ratios; markups apply to direct + shared. The allocation adds up to the spend, to the unit.
 */
export function allocate(
  rows: readonly SpendRow[],
  rules: ChargebackRules,
  decimals: number,
  notes: string[],
): Chargeback {
  const pools: Pool[] = rules.shared.map((p) => ({
    name: p.name,
    selector: p.selector,
    split: p.split,
    amount: 0,
    queries: new Set<string>(),
  }));
  const tests = rules.shared.map((p) => compileMatchers(p.matchers));
  const unassigned: Pool | null = rules.unassigned
    ? {
        name: UNASSIGNED_POOL,
        selector: `${rules.payer}=~"unassigned|"`,
        split: rules.unassigned,
        amount: 0,
        queries: new Set<string>(),
      }
    : null;
  const direct = new Map<string, number>();
  const directQueries = new Map<string, Set<string>>();
  for (const row of rows) {
    const i = tests.findIndex((t) => t(row.labels));
    const payer = row.labels[rules.payer] ?? '';
    const pool = i >= 0 ? pools[i] : unassigned && UNASSIGNED.has(payer) ? unassigned : null;
    if (pool) {
      pool.amount += row.value;
      addAll(pool.queries, row.queries);
      continue;
    }
    const name = payer === '' ? 'unassigned' : payer;
    direct.set(name, (direct.get(name) ?? 0) + row.value);
    if (!directQueries.has(name)) directQueries.set(name, new Set());
    addAll(directQueries.get(name) as Set<string>, row.queries);
  }
  const allPools = unassigned ? [...pools, unassigned] : pools;
  const allocations: Allocation[] = [];
  for (const pool of allPools) allocations.push(...split(pool, direct, notes));

  // Rounding: the total first, then direct vs shared, pools, each pool's receivers, payers.
  const payers = [...new Set([...direct.keys(), ...allocations.map((a) => a.receiver)])].sort();
  const exactShared = allPools.reduce((a, p) => a + p.amount, 0);
  const exactDirect = [...direct.values()].reduce((a, v) => a + v, 0);
  const [directUnits, sharedUnits] = apportion([exactDirect, exactShared], decimals);
  const poolUnits = apportion(
    allPools.map((p) => p.amount),
    decimals,
    sharedUnits,
  );
  const sharedBy = new Map<string, number>();
  const allocationRows: AllocationRow[] = [];
  allPools.forEach((pool, pi) => {
    const mine = allocations.filter((a) => a.pool === pool);
    const units = apportion(
      mine.map((a) => a.ratio * pool.amount),
      decimals,
      poolUnits[pi],
    );
    mine.forEach((a, i) => {
      sharedBy.set(a.receiver, (sharedBy.get(a.receiver) ?? 0) + units[i]);
      allocationRows.push({
        pool: pool.name,
        selector: pool.selector,
        split: a.split,
        receiver: a.receiver,
        ratio: a.ratio,
        amount: units[i],
        queries: [...pool.queries].sort(byId),
      });
    });
  });
  const directUnitsBy = apportion(
    payers.map((p) => direct.get(p) ?? 0),
    decimals,
    directUnits,
  );
  const rate = (p: string) => rules.markup.payers[p] ?? rules.markup.default;
  const exactSharedBy = (p: string) =>
    allocations.filter((a) => a.receiver === p).reduce((s, a) => s + a.ratio * a.pool.amount, 0);
  const exactMarkup = payers.map((p) => rate(p) * ((direct.get(p) ?? 0) + exactSharedBy(p)));
  const markupUnits = apportion(exactMarkup, decimals);
  const out: ChargebackRow[] = payers.map((payer, i) => {
    const d = directUnitsBy[i];
    const s = sharedBy.get(payer) ?? 0;
    const queries = new Set(directQueries.get(payer) ?? []);
    for (const a of allocations) if (a.receiver === payer) addAll(queries, [...a.pool.queries]);
    return {
      payer,
      direct: d,
      shared: s,
      subtotal: d + s,
      markupRate: rate(payer),
      markup: markupUnits[i],
      total: d + s + markupUnits[i],
      queries: [...queries].sort(byId),
    };
  });
  const exact = new Map(
    payers.map((p, i) => [p, (direct.get(p) ?? 0) + exactSharedBy(p) + exactMarkup[i]]),
  );
  out.sort(
    (a, b) =>
      (exact.get(b.payer) ?? 0) - (exact.get(a.payer) ?? 0) || a.payer.localeCompare(b.payer),
  );
  const sum = (f: (r: ChargebackRow) => number) => out.reduce((a, r) => a + f(r), 0);
  return {
    rulesFile: rules.file,
    payer: rules.payer,
    rows: out,
    allocations: allocationRows,
    totals: {
      direct: sum((r) => r.direct),
      shared: sum((r) => r.shared),
      subtotal: sum((r) => r.subtotal),
      markup: sum((r) => r.markup),
      total: sum((r) => r.total),
    },
  };
}

function split(pool: Pool, direct: ReadonlyMap<string, number>, notes: string[]): Allocation[] {
  if (pool.split.kind === 'fixed') {
    return pool.split.shares.map((s) => ({
      pool,
      receiver: s.payer,
      ratio: s.ratio,
      split: 'fixed' as const,
    }));
  }
  const receivers =
    pool.split.receivers ?? [...direct.keys()].filter((p) => !UNASSIGNED.has(p)).sort();
  const basis = receivers.map((r) => Math.max(0, direct.get(r) ?? 0));
  const sum = basis.reduce((a, b) => a + b, 0);
  if (receivers.length === 0) {
    if (pool.amount !== 0) {
      notes.push(
        `Pool "${pool.name}" has no receivers (no payer has direct spend): it is charged to "${pool.name}".`,
      );
    }
    return [{ pool, receiver: pool.name, ratio: 1, split: 'none' }];
  }
  if (sum <= 0) {
    if (pool.amount !== 0) {
      notes.push(
        `Pool "${pool.name}": its receivers had no direct spend in the period, so it is split equally.`,
      );
    }
    return receivers.map((r) => ({
      pool,
      receiver: r,
      ratio: 1 / receivers.length,
      split: 'equal',
    }));
  }
  return receivers.map((r, i) => ({ pool, receiver: r, ratio: basis[i] / sum, split: 'usage' }));
}

/** q2 before q10. */
export function byId(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}
