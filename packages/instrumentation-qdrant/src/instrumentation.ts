import {
  BurnrateInstrumentation,
  type PatchedModule,
  safely,
  traceVectorCall,
  type VectorRequest,
  type VectorTarget,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { OPERATIONS, type QdrantOperation } from './operations.ts';
import type { ClientLike, ClientMethod, PointsBodyLike, QdrantModuleLike } from './types.ts';

export type QdrantInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
export const DB_SYSTEM = 'qdrant';

/**
 * Traces `@qdrant/js-client-rest` point operations (query/search and their batch and group
 * forms, upsert, retrieve, scroll, delete, payload and vector updates, batch updates). Qdrant
 * reports no billable units: calls are priced only by a rule in the prices file.
 */
export class QdrantInstrumentation extends BurnrateInstrumentation<QdrantInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@qdrant/js-client-rest', versions: ['>=1.9.0 <2'] }];
  }

  constructor(config: QdrantInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-qdrant', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as QdrantModuleLike | undefined;
    const Client = mod?.QdrantClient ?? mod?.default?.QdrantClient;
    if (!Client?.prototype) return;
    for (const op of OPERATIONS) this.#patch(Client.prototype, op);
  }

  #patch(proto: Record<string, unknown>, op: QdrantOperation): void {
    const instrumentation = this;
    this.wrapMethod(proto, op.method, (original) => {
      const method = original as unknown as ClientMethod;
      return function patched(this: ClientLike, ...args: unknown[]) {
        if (!instrumentation.isEnabled()) return method.apply(this, args);
        const prepared = safely('preparing qdrant call', () => prepare(this, op, args));
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

function prepare(client: ClientLike, op: QdrantOperation, args: unknown[]) {
  const target: VectorTarget = { dbSystem: DB_SYSTEM };
  if (typeof client._host === 'string' && client._host) target.address = client._host;
  if (typeof client._port === 'number') target.port = client._port;
  const [collection, body] = args;
  const request: VectorRequest = {
    operation: op.operation,
    collection: typeof collection === 'string' && collection ? collection : undefined,
  };
  // Plain stores rather than a spread of the operation's reading of the request.
  const extra = op.request?.(body && typeof body === 'object' ? (body as PointsBodyLike) : {});
  if (extra) {
    if ('vectors' in extra) request.vectors = extra.vectors;
    if ('topK' in extra) request.topK = extra.topK;
  }
  return { target, request };
}
