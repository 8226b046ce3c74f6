import {
  BurnrateInstrumentation,
  type PatchedModule,
  safely,
  traceVectorCall,
  urlTarget,
  type VectorRequest,
  type VectorTarget,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { DOCUMENT_OPERATIONS, OPERATIONS, type PineconeOperation } from './operations.ts';
import type { DocumentsLike, IndexLike, IndexMethod, PineconeModuleLike } from './types.ts';

export type PineconeInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
export const DB_SYSTEM = 'pinecone';

/**
 * Traces `@pinecone-database/pinecone` data-plane calls (query, upsert, fetch, update, delete,
 * list, search) on `Index`, and 9.x's document operations (`index.documents`), with read units
 * priced per unit.
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
    const m = mod?.Index ? mod : mod?.default;
    const index = m?.Index?.prototype;
    if (index) for (const op of OPERATIONS) this.#patch(index, op, indexTarget);
    const documents = m?.Documents?.prototype;
    if (documents)
      for (const op of DOCUMENT_OPERATIONS) this.#patch(documents, op, documentsTarget);
  }

  #patch(
    proto: Record<string, unknown>,
    op: PineconeOperation,
    locate: (self: unknown) => Where,
  ): void {
    const instrumentation = this;
    this.wrapMethod(proto, op.method, (original) => {
      const method = original as unknown as IndexMethod;
      return function patched(this: unknown, ...args: unknown[]) {
        if (!instrumentation.isEnabled()) return method.apply(this, args);
        const prepared = safely('preparing pinecone call', () =>
          prepare(locate(this), op, args[0]),
        );
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

/** The index a call goes to: its name and, when the caller gave it, its host. */
interface Where {
  indexName?: string;
  host?: string;
}

const indexTarget = (self: unknown): Where => {
  const t = (self as IndexLike | null)?.target;
  return { indexName: t?.indexName, host: t?.indexHostUrl };
};

const documentsTarget = (self: unknown): Where => {
  const p = (self as DocumentsLike | null)?._provider;
  return { indexName: p?.indexName, host: p?.indexHostUrl };
};

/** Targets by index host: a service talks to few (a URL parse per call otherwise). */
const targets = new Map<unknown, VectorTarget>();

function targetOf(host: unknown): VectorTarget {
  let target = targets.get(host);
  if (target) return target;
  target = { dbSystem: DB_SYSTEM, ...urlTarget(host) };
  if (targets.size >= 64) targets.clear();
  targets.set(host, target);
  return target;
}

function prepare(where: Where, op: PineconeOperation, arg: unknown) {
  const request: VectorRequest = {
    operation: op.operation,
    collection: where.indexName || undefined,
  };
  // Plain stores rather than a spread of the operation's reading of the request.
  const extra = op.request?.(arg);
  if (extra) {
    if ('vectors' in extra) request.vectors = extra.vectors;
    if ('topK' in extra) request.topK = extra.topK;
  }
  return { target: targetOf(where.host), request };
}
