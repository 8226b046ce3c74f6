import { BurnrateInstrumentation, type PatchedModule, safely } from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { instrumentConnection, type Tracing } from './connection.ts';
import type { ConnectionGrpcClassLike, UseResultLike, WeaviateModuleLike } from './types.ts';

export type WeaviateInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Traces weaviate-client v3: near-vector, hybrid, bm25 and the other gRPC searches, batch
 * inserts (`insertMany`) and deletes (`deleteMany`), and the REST single-object writes (`insert`,
 * `replace`, `update`, `deleteById`), as vector-database spans (`db.system.name = weaviate`).
 */
export class WeaviateInstrumentation extends BurnrateInstrumentation<WeaviateInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: 'weaviate-client', versions: ['>=3.0.0 <4'] }];
  }

  constructor(config: WeaviateInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-weaviate', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as WeaviateModuleLike | undefined;
    const ConnectionGRPC: ConnectionGrpcClassLike | undefined =
      mod?.ConnectionGRPC ?? (mod?.default as WeaviateModuleLike | undefined)?.ConnectionGRPC;
    if (!ConnectionGRPC) return;
    const tracing: Tracing = { tracer: () => this.tracer, enabled: () => this.isEnabled() };
    const seen = (result: unknown, params: unknown): unknown => {
      safely('instrumenting connection', () => {
        const connection = (result as UseResultLike | undefined)?.connection;
        const grpcAddress = (params as { grpcAddress?: unknown } | undefined)?.grpcAddress;
        if (connection && typeof connection === 'object')
          instrumentConnection(tracing, connection, grpcAddress);
      });
      return result;
    };
    // Every client (connectToLocal, connectToCustom, connectToWeaviateCloud) makes its
    // connection through the static `ConnectionGRPC.use`.
    this.wrapMethod(ConnectionGRPC, 'use', (original) => {
      const use = original as unknown as (params: unknown) => unknown;
      return function patchedUse(this: unknown, params: unknown) {
        const result = use.call(this, params);
        return isThenable(result) ? result.then((r) => seen(r, params)) : seen(result, params);
      } as unknown as typeof original;
    });
  }
}
