import type { Method } from './types.ts';

/** What a query builder will run, learnt from the builder calls (never the vectors or text). */
export interface QueryState {
  table?: string;
  /** `search`: a vector, full-text or hybrid search; `query`: a scan/filter; `take`: rows by id. */
  kind: 'search' | 'query' | 'take';
  /** A query vector was given (vector searches always have a limit: 10 unless set). */
  vector?: boolean;
  limit?: number;
}

const states = new WeakMap<object, QueryState>();

export function stateOf(query: object): QueryState | undefined {
  return states.get(query);
}

export function setState(query: unknown, state: QueryState): void {
  if (typeof query === 'object' && query !== null) states.set(query, state);
}

/**
 * After a builder call: updates the state of `self`, and gives a new builder it returned (e.g.
 * `nearestTo` returns a new `VectorQuery`) the same state.
 */
export function carryState(self: unknown, result: unknown, update: (s: QueryState) => void): void {
  if (typeof self !== 'object' || self === null) return;
  const state: QueryState = { ...(states.get(self) ?? { kind: 'query' }) };
  update(state);
  states.set(self, state);
  if (result !== self && typeof result === 'object' && result !== null)
    states.set(result, { ...state });
}

/** The builder methods whose calls change what the query is. */
export const BUILDER_METHODS: Readonly<Record<string, (s: QueryState, args: unknown[]) => void>> = {
  nearestTo: (s) => {
    s.kind = 'search';
    s.vector = true;
  },
  nearestToText: (s) => {
    s.kind = 'search';
  },
  fullTextSearch: (s) => {
    s.kind = 'search';
  },
  addQueryVector: (s) => {
    s.kind = 'search';
    s.vector = true;
  },
  limit: (s, args) => {
    const n = args[0];
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) s.limit = n;
  },
};

export type { Method };
