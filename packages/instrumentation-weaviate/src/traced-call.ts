import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  type CallSpan,
  recordVectorOperation,
  type TracedCall,
} from '@burnrate/core';
import type { Attributes, Span } from '@opentelemetry/api';
import { DB_SYSTEM } from './operations.ts';
import type { AsyncMethod } from './types.ts';

export interface Server {
  address?: string;
  port?: number;
}

/** Vectors a call read or wrote, from its request and its reply. */
export type Counter = (args: unknown, reply: unknown) => number | undefined;

export function attributesOf(
  operation: string,
  collection: unknown,
  server: Server,
  topK?: number,
): Attributes {
  // Plain stores rather than computed keys in a literal (V8 defines those one by one at run time).
  const attrs: Attributes = {};
  attrs[ATTR_DB_SYSTEM_NAME] = DB_SYSTEM;
  attrs[ATTR_DB_OPERATION_NAME] = operation;
  if (typeof collection === 'string' && collection) attrs[ATTR_DB_COLLECTION_NAME] = collection;
  if (server.address) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port) attrs[ATTR_SERVER_PORT] = server.port;
  if (topK !== undefined) attrs[ATTR_BURNRATE_VECTORDB_TOP_K] = topK;
  return attrs;
}

export function record(
  span: Span,
  operation: string,
  collection: unknown,
  vectors: number | undefined,
): void {
  if (vectors !== undefined) span.setAttribute(ATTR_BURNRATE_VECTORDB_VECTORS, vectors);
  recordVectorOperation(span, {
    dbSystem: DB_SYSTEM,
    operation,
    vectors,
    collection: typeof collection === 'string' ? collection : undefined,
  });
}

/** One call of a gRPC helper field and its result handler, as one object (no closures per call). */
export class FieldCall implements TracedCall<Promise<unknown>> {
  readonly #method: AsyncMethod;
  readonly #self: unknown;
  readonly #args: unknown[];
  readonly #operation: string;
  readonly #collection: unknown;
  readonly #counter: Counter;
  constructor(
    method: AsyncMethod,
    self: unknown,
    args: unknown[],
    operation: string,
    collection: unknown,
    counter: Counter,
  ) {
    this.#method = method;
    this.#self = self;
    this.#args = args;
    this.#operation = operation;
    this.#collection = collection;
    this.#counter = counter;
  }
  call(): Promise<unknown> {
    return this.#method.apply(this.#self, this.#args);
  }
  onResult(call: CallSpan, reply: unknown): undefined {
    record(call.span, this.#operation, this.#collection, this.#counter(this.#args[0], reply));
    return undefined;
  }
}

/** What a REST single-object write counts: one vector. */
export const oneVector: Counter = () => 1;
