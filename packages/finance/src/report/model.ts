import type { Source } from './spend.ts';
import type { QueryRecord } from './trace.ts';

/**
 * The report as data. Amounts are whole units of 10^-decimals dollars (cents by default),
 * rounded so that every column adds up to its total exactly (see money.ts).
 */
export interface Report {
  title: string;
  generatedAt: string;
  prometheusUrl: string;
  period: {
    label: string;
    timeZone: string;
    start: string;
    /** Where the report ends: the period end, or the time it was made if that is earlier. */
    end: string;
    periodEnd: string;
    complete: boolean;
  };
  by: string[];
  sources: Source[];
  decimals: number;
  currency: 'USD';
  totals: {
    llm: number;
    vectordb: number;
    total: number;
    /** The total in dollars before rounding, for reconciliation. */
    exactUsd: number;
  };
  showback: ShowbackRow[];
  daily: DailyRow[];
  chargeback: Chargeback | null;
  queries: QueryRecord[];
  notes: string[];
}

export interface ShowbackRow {
  /** Values of the `by` labels ("" where a series has no such label, e.g. model on vector DBs). */
  labels: Record<string, string>;
  llm: number;
  vectordb: number;
  total: number;
  /** Fraction of the report's total (exact, not rounded). */
  share: number;
  queries: string[];
}

export interface DailyRow {
  /** Local date in the report's time zone. */
  day: string;
  start: string;
  end: string;
  llm: number;
  vectordb: number;
  total: number;
  queries: string[];
}

export interface Chargeback {
  rulesFile: string;
  payer: string;
  rows: ChargebackRow[];
  allocations: AllocationRow[];
  totals: { direct: number; shared: number; subtotal: number; markup: number; total: number };
}

export interface ChargebackRow {
  payer: string;
  /** Spend carrying the payer's own label value (not in a shared pool). */
  direct: number;
  /** Its part of the shared pools (and of unassigned spend). */
  shared: number;
  subtotal: number;
  /** Markup ratio applied to the subtotal (0.1 for 10%). */
  markupRate: number;
  markup: number;
  total: number;
  queries: string[];
}

export interface AllocationRow {
  pool: string;
  selector: string;
  split: 'usage' | 'fixed' | 'equal' | 'none';
  receiver: string;
  /** The receiver's fraction of the pool. */
  ratio: number;
  amount: number;
  queries: string[];
}
