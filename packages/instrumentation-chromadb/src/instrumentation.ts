import {
  BurnrateInstrumentation,
  burnrateLogger,
  type PatchedModule,
  safely,
  traceVectorCall,
  urlTarget,
  type VectorRequest,
  type VectorResult,
  type VectorTarget,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { type ChromaOperation, OPERATIONS, V2_OPERATIONS } from './operations.ts';
import type {
  ChromaModuleLike,
  CollectionLike,
  CollectionMethod,
  RecordArgsLike,
} from './types.ts';

export type ChromaInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
export const DB_SYSTEM = 'chroma';

/** Client methods that hand out collections: their class is patched from the first one seen. */
const COLLECTION_FACTORIES = [
  'getCollection',
  'createCollection',
  'getOrCreateCollection',
  'getCollectionById',
];

/**
 * Traces the `chromadb` JS client's record operations (add, upsert, update, query, search, get,
 * delete, count) on collections, with the vectors read or written and `top_k`. 3.x and 2.x
 * (`chromadb` or `chromadb-client`).
 */
export class ChromaInstrumentation extends BurnrateInstrumentation<ChromaInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    // `chromadb-client` is 2.x's build without bundled embedding-function dependencies.
    return [
      { name: 'chromadb', versions: ['>=2.0.0 <4'] },
      { name: 'chromadb-client', versions: ['>=2.0.0 <3'] },
    ];
  }

  constructor(config: ChromaInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-chromadb', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as ChromaModuleLike | undefined;
    const m = mod?.ChromaClient ? mod : mod?.default;
    // 2.x exports its collection class.
    const v2 = m?.Collection?.prototype;
    if (v2 && typeof v2.query === 'function') {
      this.#patchCollection(v2);
      for (const op of V2_OPERATIONS) this.#patch(v2, op);
      return;
    }
    // The collection class is not exported; `CollectionHandle` extends it (3.1+).
    const handle = m?.CollectionHandle?.prototype;
    const base = handle ? (Object.getPrototypeOf(handle) as Record<string, unknown> | null) : null;
    if (base && typeof base.query === 'function') this.#patchCollection(base);
    // Otherwise (and as a safety net) patch the class of the first collection the client returns.
    const client = m?.ChromaClient?.prototype;
    if (!client) return;
    const instrumentation = this;
    for (const name of COLLECTION_FACTORIES) {
      this.wrapMethod(client, name, (original) => {
        return function patchedFactory(this: unknown, ...args: unknown[]) {
          const result = original.apply(this, args as never[]);
          if (result && typeof (result as Promise<unknown>).then === 'function') {
            (result as Promise<unknown>).then(
              (c) => safely('patching chroma collection', () => instrumentation.#patchInstance(c)),
              () => undefined,
            );
          }
          return result;
        } as typeof original;
      });
    }
  }

  #patchInstance(collection: unknown): void {
    if (!collection || typeof collection !== 'object') return;
    let proto = Object.getPrototypeOf(collection) as Record<string, unknown> | null;
    // Patch the class that defines the methods (the base class, not a subclass that calls super).
    while (
      proto &&
      !Object.hasOwn(proto, 'prepareRecords') &&
      Object.getPrototypeOf(proto) !== Object.prototype
    ) {
      proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
    }
    if (proto && typeof proto.query === 'function') this.#patchCollection(proto);
  }

  #patchCollection(proto: Record<string, unknown>): void {
    for (const op of OPERATIONS) this.#patch(proto, op);
  }

  #patch(proto: Record<string, unknown>, op: ChromaOperation): void {
    const instrumentation = this;
    // Per operation, not per call: what reads its result.
    const readResult = op.result ?? noResult;
    this.wrapMethod(proto, op.method, (original) => {
      const method = original as unknown as CollectionMethod;
      return function patched(this: CollectionLike, ...args: unknown[]) {
        if (!instrumentation.isEnabled()) return method.apply(this, args);
        let target: VectorTarget;
        let request: VectorRequest;
        try {
          target = targetOf(baseUrlOf(this));
          request = requestOf(this, op, args[0]);
        } catch (error) {
          // What `safely` logs, without a closure per call.
          burnrateLogger.warn(
            'preparing chroma call failed; telemetry for this call may be incomplete',
            error,
          );
          return method.apply(this, args);
        }
        return traceVectorCall(
          instrumentation.tracer,
          target,
          request,
          () => method.apply(this, args),
          readResult,
        );
      } as unknown as typeof original;
    });
  }
}

/** Targets by base URL: a service talks to few servers (a URL parse per call otherwise). */
const targets = new Map<unknown, VectorTarget>();

function targetOf(baseUrl: unknown): VectorTarget {
  let target = targets.get(baseUrl);
  if (target) return target;
  target = { dbSystem: DB_SYSTEM, ...urlTarget(baseUrl) };
  if (targets.size >= 64) targets.clear();
  targets.set(baseUrl, target);
  return target;
}

const noResult = (): VectorResult | undefined => undefined;

/** The server's base URL: 3.x's `apiClient.getConfig().baseUrl`, 2.x's `client.api.basePath`. */
function baseUrlOf(collection: CollectionLike): unknown {
  const api = collection.client?.api;
  return (
    collection.apiClient?.getConfig?.()?.baseUrl ?? api?.basePath ?? api?.configuration?.basePath
  );
}

function requestOf(collection: CollectionLike, op: ChromaOperation, arg: unknown): VectorRequest {
  const name = collection.name;
  const request: VectorRequest = {
    operation: op.operation,
    collection: typeof name === 'string' && name ? name : undefined,
  };
  op.request?.(arg && typeof arg === 'object' ? (arg as RecordArgsLike) : {}, request);
  return request;
}
