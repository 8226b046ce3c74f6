import { BurnrateInstrumentation, type PatchedModule, safely } from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { OPERATIONS, type PineconeOperation } from './operations.ts';
import type { IndexLike, IndexMethod, PineconeModuleLike } from './types.ts';
import {
  traceVectorCall,
  urlTarget,
  type VectorRequest,
  type VectorTarget,
} from './vector-span.ts';

export type PineconeInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
export const DB_SYSTEM = 'pinecone';

/**
 * Traces `@pinecone-database/pinecone` data-plane calls (query, upsert, fetch, update, delete,
 * list, search) on `Index`, with read units priced per unit.
 */
export class PineconeInstrumentation extends BurnrateInstrumentation<PineconeInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@pinecone-database/pinecone', versions: ['>=8.0.0 <10'] }];
  }

  constructor(config: PineconeInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-pinecone', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as PineconeModuleLike | undefined;
    const Index = mod?.Index ?? mod?.default?.Index;
    if (!Index?.prototype) return;
    for (const op of OPERATIONS) this.#patch(Index.prototype, op);
  }

  #patch(proto: Record<string, unknown>, op: PineconeOperation): void {
    const instrumentation = this;
    this.wrapMethod(proto, op.method, (original) => {
      const method = original as unknown as IndexMethod;
      return function patched(this: IndexLike, ...args: unknown[]) {
        if (!instrumentation.isEnabled()) return method.apply(this, args);
        const prepared = safely('preparing pinecone call', () => prepare(this, op, args[0]));
        if (!prepared) return method.apply(this, args);
        return traceVectorCall(
          instrumentation.tracer,
          prepared.target,
          prepared.request,
          () => method.apply(this, args),
          (value) => op.result?.(value),
        );
      } as unknown as typeof original;
    });
  }
}

function prepare(index: IndexLike, op: PineconeOperation, arg: unknown) {
  const t = index.target ?? {};
  const target: VectorTarget = { dbSystem: DB_SYSTEM, ...urlTarget(t.indexHostUrl) };
  const request: VectorRequest = {
    operation: op.operation,
    collection: t.indexName || undefined,
    ...op.request?.(arg),
  };
  return { target, request };
}
