import {
  type CallSpan,
  recordVectorOperation,
  type TracedCall,
  vectorCallAttributes,
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
  return vectorCallAttributes(DB_SYSTEM, operation, collection, topK, server.address, server.port);
}

export function record(
  span: Span,
  operation: string,
  collection: unknown,
  vectors: number | undefined,
): void {
  const name = typeof collection === 'string' ? collection : undefined;
  recordVectorOperation(span, { dbSystem: DB_SYSTEM, operation, vectors, collection: name });
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
