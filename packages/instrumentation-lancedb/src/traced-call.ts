import type { CallSpan, TracedCall } from '@burnrate/core';
import { mergedRows, record, rowsIn, rowsOf } from './record.ts';
import type { Method } from './types.ts';

/** Rows a table write wrote, from its arguments or its result. */
export type RowsRead = (args: unknown[], result: unknown) => number | undefined;

/** A table write (`add`, `delete`, `update`) and its result handler, as one object per call. */
export class WriteCall implements TracedCall<unknown> {
  readonly #method: Method;
  readonly #self: unknown;
  readonly #args: unknown[];
  readonly #operation: string;
  readonly #table: unknown;
  readonly #rows: RowsRead;
  constructor(
    method: Method,
    self: unknown,
    args: unknown[],
    operation: string,
    table: unknown,
    rows: RowsRead,
  ) {
    this.#method = method;
    this.#self = self;
    this.#args = args;
    this.#operation = operation;
    this.#table = table;
    this.#rows = rows;
  }
  call(): unknown {
    return this.#method.apply(this.#self, this.#args);
  }
  onResult(call: CallSpan, result: unknown): undefined {
    record(call.span, this.#operation, this.#table, this.#rows(this.#args, result));
    return undefined;
  }
}

/** `mergeInsert(...).execute(data)`: the rows it reports touched, or else the rows it was given. */
export class MergeCall implements TracedCall<unknown> {
  readonly #method: Method;
  readonly #self: unknown;
  readonly #args: unknown[];
  readonly #table: unknown;
  constructor(method: Method, self: unknown, args: unknown[], table: unknown) {
    this.#method = method;
    this.#self = self;
    this.#args = args;
    this.#table = table;
  }
  call(): unknown {
    return this.#method.apply(this.#self, this.#args);
  }
  onResult(call: CallSpan, result: unknown): undefined {
    record(call.span, 'merge_insert', this.#table, mergedRows(result) ?? rowsIn(this.#args[0]));
    return undefined;
  }
}

/** `toArrow()` (which `toArray()` calls): the rows of the Arrow table it resolves to. */
export class ArrowCall implements TracedCall<unknown> {
  readonly #method: Method;
  readonly #query: unknown;
  readonly #args: unknown[];
  readonly #operation: string;
  readonly #table: unknown;
  constructor(method: Method, query: unknown, args: unknown[], operation: string, table: unknown) {
    this.#method = method;
    this.#query = query;
    this.#args = args;
    this.#operation = operation;
    this.#table = table;
  }
  call(): unknown {
    return this.#method.apply(this.#query, this.#args);
  }
  onResult(call: CallSpan, table: unknown): undefined {
    record(call.span, this.#operation, this.#table, rowsOf(table));
    return undefined;
  }
}
