import { AsyncResource } from 'node:async_hooks';
import { BurnrateInstrumentation, type PatchedModule } from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { tracedQuery } from './query-call.ts';
import type { ClientLike, PgModuleLike, QueryMethod } from './types.ts';

export type PgVectorInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Traces pgvector statements made through the `pg` client (`Client#query`, so `Pool#query` too):
 * similarity searches (`<->`, `<=>`, `<#>`, `<+>`, `<~>`, `<%>`) as `vector_search`, and inserts,
 * upserts, updates and deletes that write or match vectors. Plain SQL is not traced.
 */
export class PgVectorInstrumentation extends BurnrateInstrumentation<PgVectorInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: 'pg', versions: ['>=8.0.0 <9'] }];
  }

  constructor(config: PgVectorInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-pg-vector', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as PgModuleLike | undefined;
    const pg = mod?.Client ? mod : mod?.default;
    if (!pg?.Client) return;
    const instrumentation = this;
    this.wrapMethod(pg.Client.prototype, 'query', (original) => {
      const query = original as unknown as QueryMethod;
      return function patchedQuery(this: ClientLike, ...args: unknown[]) {
        if (!instrumentation.isEnabled()) return query.apply(this, args);
        return tracedQuery(instrumentation.tracer, query, this, args);
      } as unknown as typeof original;
    });
    // A pooled query runs in the pool's connect callback, which the pool may call from another
    // request's release: run it in the caller's async context (trace and attribution scope) so its span is the caller's.
    this.wrapMethod(pg.Pool?.prototype, 'connect', (original) => {
      const connect = original as unknown as Method;
      return function patchedConnect(this: unknown, ...args: unknown[]) {
        const last = args.length - 1;
        if (instrumentation.isEnabled() && typeof args[last] === 'function') {
          const bound = [...args];
          bound[last] = AsyncResource.bind(args[last] as Method);
          return connect.apply(this, bound);
        }
        return connect.apply(this, args);
      } as unknown as typeof original;
    });
  }
}
