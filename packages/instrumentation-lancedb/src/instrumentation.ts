import {
  BurnrateInstrumentation,
  burnrateLogger,
  type PatchedModule,
  traceCallOf,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { tracedIterator, tracedToArrow } from './execute.ts';
import { findLocalTable } from './local-table.ts';
import { BUILDER_METHODS, carryState, startState } from './query-state.ts';
import { deletedRows, rowsIn, spanStart, updatedRows } from './record.ts';
import { MergeCall, type RowsRead, WriteCall } from './traced-call.ts';
import type { ClassLike, LanceModuleLike, Method, TableLike } from './types.ts';

export type LanceDBInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

/** Table writes: operation name, and the rows it wrote (from its arguments or its result). */
const WRITES: Readonly<Record<string, { operation: string; rows: RowsRead }>> = {
  add: { operation: 'add', rows: (args) => rowsIn(args[0]) },
  delete: { operation: 'delete', rows: (_args, result) => deletedRows(result) },
  update: { operation: 'update', rows: (_args, result) => updatedRows(result) },
};

/** Table methods that return a query builder, and the kind of query each starts. */
const QUERY_FACTORIES: Readonly<Record<string, 'search' | 'query' | 'take'>> = {
  query: 'query',
  search: 'search',
  vectorSearch: 'search',
  takeOffsets: 'take',
  takeRowIds: 'take',
};

const mergeTables = new WeakMap<object, unknown>();

/**
 * Traces `@lancedb/lancedb` (in-process or remote): vector, full-text and hybrid searches, plain
 * queries and takes (when executed: `toArray`, `toArrow`, `execute`, `for await`), and table
 * writes (`add`, `delete`, `update`, `mergeInsert().execute`), as vector-database spans.
 */
export class LanceDBInstrumentation extends BurnrateInstrumentation<LanceDBInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@lancedb/lancedb', versions: ['>=0.15.0 <1'] }];
  }

  constructor(config: LanceDBInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-lancedb', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const ns = exports as LanceModuleLike | undefined;
    const mod = (ns?.QueryBase ? ns : ns?.default) as LanceModuleLike | undefined;
    if (!mod?.QueryBase) return;
    this.#patchQueries(mod);
    const LocalTable = findLocalTable(mod) ?? findLocalTable(ns) ?? findLocalTable(ns?.default);
    if (LocalTable) this.#patchTable(LocalTable);
    this.#patchMerge(mod.MergeInsertBuilder);
  }

  #patchQueries(mod: LanceModuleLike): void {
    const instrumentation = this;
    const base = mod.QueryBase?.prototype;
    this.wrapMethod(
      base,
      'toArrow',
      (original) =>
        function patchedToArrow(this: unknown, ...args: unknown[]) {
          if (!instrumentation.isEnabled()) return original.apply(this, args as never[]);
          return tracedToArrow(instrumentation.tracer, original as Method, this, args);
        } as typeof original,
    );
    for (const name of ['execute', Symbol.asyncIterator] as const) {
      this.#wrapAny(
        base,
        name,
        (original) =>
          function patchedExecute(this: unknown, ...args: unknown[]) {
            if (!instrumentation.isEnabled()) return original.apply(this, args);
            return tracedIterator(instrumentation.tracer, original, this, args);
          },
      );
    }
    for (const cls of [mod.Query, mod.VectorQuery, mod.AutoQuery]) {
      for (const [name, update] of Object.entries(BUILDER_METHODS)) {
        this.wrapMethod(
          cls?.prototype,
          name,
          (original) =>
            function patchedBuilder(this: unknown, ...args: unknown[]) {
              const result = original.apply(this, args as never[]);
              try {
                carryState(this, result, update, args);
              } catch (error) {
                warn('reading query builder', error);
              }
              return result;
            } as typeof original,
        );
      }
    }
  }

  #patchTable(LocalTable: ClassLike): void {
    const instrumentation = this;
    const proto = LocalTable.prototype;
    for (const [name, kind] of Object.entries(QUERY_FACTORIES)) {
      this.wrapMethod(
        proto,
        name,
        (original) =>
          function patchedFactory(this: TableLike, ...args: unknown[]) {
            // Read the name first: the native table is borrowed while some builders are made.
            const table = tableNameSafely(this);
            const result = original.apply(this, args as never[]);
            try {
              startState(result, kind, table);
            } catch (error) {
              warn('reading query', error);
            }
            return result;
          } as typeof original,
      );
    }
    for (const [name, write] of Object.entries(WRITES)) {
      this.wrapMethod(
        proto,
        name,
        (original) =>
          function patchedWrite(this: TableLike, ...args: unknown[]) {
            if (!instrumentation.isEnabled()) return original.apply(this, args as never[]);
            const table = tableNameSafely(this);
            const start = spanStart(write.operation, table);
            return traceCallOf(
              { tracer: instrumentation.tracer, name: start.name, attributes: start.attributes },
              new WriteCall(original as Method, this, args, write.operation, table, write.rows),
            );
          } as typeof original,
      );
    }
    this.wrapMethod(
      proto,
      'mergeInsert',
      (original) =>
        function patchedMergeInsert(this: TableLike, ...args: unknown[]) {
          // Read the name first: the native table stays borrowed by the builder (0.39).
          const table = tableNameSafely(this);
          const builder = original.apply(this, args as never[]);
          if (typeof builder === 'object' && builder !== null) mergeTables.set(builder, table);
          return builder;
        } as typeof original,
    );
  }

  #patchMerge(MergeInsertBuilder: ClassLike | undefined): void {
    const instrumentation = this;
    // Builder steps (`whenMatchedUpdateAll()`, ...) may return a new builder: it keeps the table.
    const proto = MergeInsertBuilder?.prototype as Record<string, unknown> | undefined;
    for (const name of proto ? Object.getOwnPropertyNames(proto) : []) {
      if (name === 'constructor' || name === 'execute' || name === 'explainPlan') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value !== 'function') continue;
      this.wrapMethod(
        proto,
        name,
        (original) =>
          function patchedStep(this: object, ...args: unknown[]) {
            const result = original.apply(this, args as never[]);
            if (
              result !== this &&
              typeof result === 'object' &&
              result !== null &&
              mergeTables.has(this)
            ) {
              mergeTables.set(result, mergeTables.get(this));
            }
            return result;
          } as typeof original,
      );
    }
    this.wrapMethod(
      MergeInsertBuilder?.prototype,
      'execute',
      (original) =>
        function patchedMerge(this: object, ...args: unknown[]) {
          if (!instrumentation.isEnabled()) return original.apply(this, args as never[]);
          const table = mergeTables.get(this);
          const start = spanStart('merge_insert', table);
          return traceCallOf(
            { tracer: instrumentation.tracer, name: start.name, attributes: start.attributes },
            new MergeCall(original as Method, this, args, table),
          );
        } as typeof original,
    );
  }

  /** Like `wrapMethod`, for a symbol-named method too. */
  #wrapAny(
    target: object | undefined,
    name: string | symbol,
    wrapper: (original: Method) => Method,
  ): void {
    if (typeof name === 'string') {
      this.wrapMethod(target, name, (original) => wrapper(original as Method) as typeof original);
      return;
    }
    if (!target) return;
    const holder = target as Record<symbol, unknown>;
    const original = holder[name];
    if (typeof original !== 'function' || wrappedSymbols.has(original)) return;
    const wrapped = wrapper(original as Method);
    wrappedSymbols.add(wrapped);
    holder[name] = wrapped;
  }
}

const wrappedSymbols = new WeakSet<object>();

const names = new WeakMap<object, string>();

/** What `safely` logs, without a closure per call. */
function warn(what: string, error: unknown): void {
  burnrateLogger.warn(`${what} failed; telemetry for this call may be incomplete`, error);
}

function tableNameSafely(table: TableLike): string | undefined {
  try {
    return tableName(table);
  } catch (error) {
    warn('reading table', error);
    return undefined;
  }
}

/**
 * A table's name, cached: reading it calls into the native table, which refuses while another
 * call on the same table holds it (an `add` in flight: "cannot be borrowed mutably").
 */
function tableName(table: TableLike): string | undefined {
  if (typeof table !== 'object' || table === null) return undefined;
  const cached = names.get(table);
  if (cached !== undefined) return cached;
  const name = table.name;
  if (typeof name !== 'string' || !name) return undefined;
  names.set(table, name);
  return name;
}
