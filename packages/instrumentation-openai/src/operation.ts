import type { CallSpan } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { CapField } from './request.ts';

/** What every operation's handler gets about the call. */
export interface CallInfo {
  provider: string;
  body: unknown;
  /** Burnrate asked the provider for stream usage the caller did not ask for: hide that chunk. */
  hideUsageChunk: boolean;
}

/** One SDK method (chat, responses, embeddings, legacy completions). */
export interface OperationHandler {
  operation: string;
  /** The body field of the output-token cap, when the operation has one (budget degrade). */
  capField?: CapField;
  /** Counts the prompt locally (budget reservations). */
  promptTokens?(body: unknown): number;
  /** Adds the request's attributes to `into`. */
  requestAttributes(body: unknown, into: Attributes): Attributes;
  /** May return a changed copy of the body (never mutates the caller's). */
  prepare?(body: unknown): { body: unknown; hideUsageChunk: boolean } | undefined;
  /** Records the result; returns `'open'` when a stream now owns the span. */
  onResult(call: CallSpan, value: unknown, info: CallInfo): 'open' | undefined;
}
