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

/**
 * After a builder call: updates the state of `self`, and gives a new builder it returned (e.g.
 * `nearestTo` returns a new `VectorQuery`) a copy of it. Every state belongs to one builder (a
 * builder handed a state gets its own copy), so `self`'s is updated in place.
 */
export function carryState(
  self: unknown,
  result: unknown,
  update: BuilderUpdate,
  args: unknown[],
): void {
  if (typeof self !== 'object' || self === null) return;
  let state = states.get(self);
  if (!state) {
    state = { kind: 'query' };
    states.set(self, state);
  }
  update(state, args);
  if (result !== self && typeof result === 'object' && result !== null)
    states.set(result, { ...state });
}

/**
 * After a table method made a query builder: the kind of query it starts (a plain `query()` made
 * inside `search()` becomes a search) and the table.
 */
export function startState(
  query: unknown,
  kind: QueryState['kind'],
  table: string | undefined,
): void {
  if (typeof query !== 'object' || query === null) return;
  const state = states.get(query);
  if (!state) {
    states.set(query, { kind, table });
    return;
  }
  if (state.kind === 'query') state.kind = kind;
  state.table = table;
}

export type BuilderUpdate = (s: QueryState, args: unknown[]) => void;

/** The builder methods whose calls change what the query is. */
export const BUILDER_METHODS: Readonly<Record<string, BuilderUpdate>> = {
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
