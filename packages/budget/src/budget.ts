import { toNano, toUsd } from './money.ts';
import { type BudgetOptions, type ResolvedOptions, resolveOptions } from './options.ts';

/** A budget's running figures, as `currentBudget()` returns them. */
export interface BudgetSnapshot {
  name: string;
  session: string | undefined;
  agent: string | undefined;
  limitUsd: number | undefined;
  /** Settled cost of finished calls. */
  spentUsd: number;
  /** Worst cases held by calls in flight. */
  reservedUsd: number;
  /** limit - spent - reserved (undefined without a dollar limit). */
  remainingUsd: number | undefined;
  limitTokens: number | undefined;
  usedTokens: number;
  reservedTokens: number;
  /** Calls that went ahead (degraded ones included), refused, degraded, and allowed unpriced. */
  calls: number;
  blockedCalls: number;
  degradedCalls: number;
  unpricedCalls: number;
  /** `ok`, `soft` (in the soft zone) or `exhausted` (nothing left). */
  state: 'ok' | 'soft' | 'exhausted';
}

/** What a call holds until it settles or is released. */
export interface Reservation {
  readonly nano: number;
  readonly tokens: number;
  /** The call finished: replace the worst case with the actual cost (undefined = keep the worst case). */
  settle(actualNano: number | undefined, actualTokens: number | undefined, priced: boolean): void;
  /** The call failed or never went out: give the worst case back. */
  release(): void;
}

/**
 * One budget's ledger, in integer nano-dollars. Reservations are taken synchronously before a
 * call leaves, so concurrent calls each see what the others hold and together never overrun.
 * Use `createBudget()` to share one budget across scopes (e.g. a session over many requests).
 */
export class Budget {
  readonly options: ResolvedOptions;
  readonly limitNano: number | undefined;
  #spent = 0;
  #reserved = 0;
  #tokensUsed = 0;
  #tokensReserved = 0;
  #calls = 0;
  #blocked = 0;
  #degraded = 0;
  #unpriced = 0;

  constructor(options: BudgetOptions) {
    this.options = resolveOptions(options);
    this.limitNano = this.options.maxUsd === undefined ? undefined : toNano(this.options.maxUsd);
  }

  get name(): string {
    return this.options.name;
  }

  /** True when the budget limits anything (not only a session/agent label). */
  get limited(): boolean {
    return this.limitNano !== undefined || this.options.maxTokens !== undefined;
  }

  get spentNano(): number {
    return this.#spent;
  }
  get reservedNano(): number {
    return this.#reserved;
  }
  get committedNano(): number {
    return this.#spent + this.#reserved;
  }
  get committedTokens(): number {
    return this.#tokensUsed + this.#tokensReserved;
  }
  get usedTokens(): number {
    return this.#tokensUsed;
  }

  /** In the soft zone: committed spend (or tokens) at or above the soft share of the limit. */
  get inSoftZone(): boolean {
    const soft = this.options.soft;
    if (!soft) return false;
    if (this.limitNano !== undefined && this.committedNano >= soft.at * this.limitNano) return true;
    const maxTokens = this.options.maxTokens;
    return maxTokens !== undefined && this.committedTokens >= soft.at * maxTokens;
  }

  countBlocked(): void {
    this.#blocked++;
  }
  countDegraded(): void {
    this.#degraded++;
  }

  reserve(nano: number, tokens: number): Reservation {
    this.#reserved += nano;
    this.#tokensReserved += tokens;
    this.#calls++;
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      this.#reserved -= nano;
      this.#tokensReserved -= tokens;
      return true;
    };
    return {
      nano,
      tokens,
      settle: (actualNano, actualTokens, priced) => {
        if (!close()) return;
        this.#spent += actualNano ?? nano;
        this.#tokensUsed += actualTokens ?? tokens;
        if (!priced) this.#unpriced++;
      },
      release: () => {
        close();
      },
    };
  }

  snapshot(): BudgetSnapshot {
    const limit = this.limitNano;
    const maxTokens = this.options.maxTokens;
    const exhausted =
      (limit !== undefined && this.committedNano >= limit) ||
      (maxTokens !== undefined && this.committedTokens >= maxTokens);
    return {
      name: this.name,
      session: this.options.session,
      agent: this.options.agent,
      limitUsd: this.options.maxUsd,
      spentUsd: toUsd(this.#spent),
      reservedUsd: toUsd(this.#reserved),
      remainingUsd:
        limit === undefined ? undefined : toUsd(Math.max(0, limit - this.committedNano)),
      limitTokens: maxTokens,
      usedTokens: this.#tokensUsed,
      reservedTokens: this.#tokensReserved,
      calls: this.#calls,
      blockedCalls: this.#blocked,
      degradedCalls: this.#degraded,
      unpricedCalls: this.#unpriced,
      state: exhausted ? 'exhausted' : this.inSoftZone ? 'soft' : 'ok',
    };
  }
}

/** A budget to pass to `withBudget` from many places (one session across requests). */
export function createBudget(options: BudgetOptions): Budget {
  return new Budget(options);
}
