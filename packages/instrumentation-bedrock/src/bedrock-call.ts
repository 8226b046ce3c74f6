import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  burnrateLogger,
  type CallSpan,
  type CallSpanOptions,
  type GateDecision,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  type TracedCall,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { invokeRequestAttributes, isTextCompletion, parseJsonBody } from './body.ts';
import {
  type ConverseInfo,
  converseRequestAttributes,
  onConverseResult,
  onConverseStreamResult,
} from './converse.ts';
import { type InvokeInfo, onInvokeResult } from './invoke.ts';
import { onInvokeStreamResult } from './invoke-stream.ts';
import { isEmbeddingModel } from './model-id.ts';
import type { ClientLike, CommandClass, CommandLike, Json, SendMethod } from './types.ts';
import { ensureHeaderMiddleware, type HeaderSlot, sendWithHeaderSlot } from './usage-headers.ts';

export type Kind = 'InvokeModel' | 'InvokeModelWithResponseStream' | 'Converse' | 'ConverseStream';
export const KINDS: readonly Kind[] = [
  'InvokeModel',
  'InvokeModelWithResponseStream',
  'Converse',
  'ConverseStream',
];

/**
 * One traced Bedrock call, as one object: the span's options, the call to make and its result
 * handler (core's `TracedCall`) and what the handlers read (`InvokeInfo`, `ConverseInfo`). No
 * closures or copies made per call.
 */
export class BedrockCall implements CallSpanOptions, TracedCall<unknown>, InvokeInfo, ConverseInfo {
  readonly tracer: Tracer;
  readonly name: string;
  readonly attributes: Attributes;
  decisions?: readonly GateDecision[];
  /**
   * Where InvokeModel's response headers land (usage-headers.ts): a small object of its own, not
   * the call, since where a slot is kept (a context the SDK's async resources hold) it may outlive
   * the call; the call there measured about 8 µs more per call.
   */
  #slot: HeaderSlot | undefined;
  readonly client: ClientLike;
  readonly send: SendMethod;
  /** The command sent (a gate may replace the caller's). */
  command: CommandLike;
  readonly rest: unknown[];
  readonly api: Kind;
  readonly operation: string;
  readonly modelId: string;
  /** The parsed native body (InvokeModel*), else undefined. */
  readonly request: Json | undefined;
  readonly input: Json;
  readonly signal: AbortSignal | undefined;

  /** Reads the command: its native body (InvokeModel*), the span's name and attributes. */
  constructor(
    tracer: Tracer,
    client: ClientLike,
    send: SendMethod,
    command: CommandLike,
    rest: unknown[],
    api: Kind,
    input: Json,
    modelId: string,
  ) {
    this.tracer = tracer;
    this.client = client;
    this.send = send;
    this.command = command;
    this.rest = rest;
    this.api = api;
    this.input = input;
    this.modelId = modelId;
    this.signal = (rest[0] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    let operation: string = GEN_AI_OPERATION.CHAT;
    let attributes: Attributes;
    if (api === 'InvokeModel' || api === 'InvokeModelWithResponseStream') {
      const request = parseJsonBody(input.body);
      this.request = request;
      if (isEmbeddingModel(modelId)) operation = GEN_AI_OPERATION.EMBEDDINGS;
      else if (isTextCompletion(request)) operation = GEN_AI_OPERATION.TEXT_COMPLETION;
      attributes = invokeRequestAttributes(request);
    } else {
      this.request = undefined;
      attributes = converseRequestAttributes(input);
    }
    // Plain stores (no literal with computed keys merged in).
    attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
    attributes[ATTR_GEN_AI_PROVIDER_NAME] = GEN_AI_PROVIDER.AWS_BEDROCK;
    attributes[ATTR_GEN_AI_REQUEST_MODEL] = modelId;
    if (api === 'InvokeModelWithResponseStream' || api === 'ConverseStream')
      attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    this.operation = operation;
    this.attributes = attributes;
    this.name = `${operation} ${modelId}`;
  }

  get headers(): Record<string, string | undefined> | undefined {
    return this.#slot?.headers;
  }

  call(): unknown {
    // InvokeModel's header middleware takes this call's slot as the SDK builds the call's chain;
    // the other operations read no headers. The call goes as an argument, not as `this` (which a
    // context manager would bind per call).
    if (this.api === 'InvokeModel') {
      this.#slot = {};
      return sendWithHeaderSlot(this.client, this.#slot, send, this);
    }
    return send(this);
  }

  onResult(call: CallSpan, value: unknown): 'open' | undefined {
    switch (this.api) {
      case 'InvokeModel':
        return onInvokeResult(call, value, this);
      case 'InvokeModelWithResponseStream':
        return onInvokeStreamResult(call, value, this);
      case 'Converse':
        return onConverseResult(call, value, this);
      default:
        return onConverseStreamResult(call, value, this);
    }
  }
}

function send(call: BedrockCall): unknown {
  return call.send.call(call.client, call.command, ...call.rest);
}

/** The operation of a command, by its class (remembered per class: no walk per call). */
export class CommandKinds {
  readonly #classes = new Map<CommandClass, Kind>();
  readonly #seen = new WeakMap<object, Kind | null>();

  add(cls: CommandClass, kind: Kind): void {
    this.#classes.set(cls, kind);
  }

  of(command: CommandLike): Kind | undefined {
    const ctor = (command as { constructor?: unknown } | null | undefined)?.constructor;
    if (typeof ctor !== 'function') return this.#walk(command);
    let kind = this.#seen.get(ctor);
    if (kind === undefined) {
      kind = this.#walk(command) ?? null;
      this.#seen.set(ctor, kind);
    }
    return kind ?? undefined;
  }

  #walk(command: CommandLike): Kind | undefined {
    for (const [cls, kind] of this.#classes) if (command instanceof cls) return kind;
    // A command made by another loaded copy of the client package.
    const name = command?.constructor?.name?.replace(/Command$/, '');
    return KINDS.find((k) => k === name);
  }
}

/**
 * Reads a command into a traced call; undefined for a command not traced (no model id ...) and,
 * failing open, when reading it throws (logged; the call then goes out untraced).
 */
export function prepare(
  tracer: Tracer,
  client: ClientLike,
  send: SendMethod,
  command: CommandLike,
  rest: unknown[],
  kinds: CommandKinds,
): BedrockCall | undefined {
  try {
    const api = kinds.of(command);
    const input = command?.input;
    const modelId = input?.modelId;
    if (!api || !input || typeof modelId !== 'string') return undefined;
    const call = new BedrockCall(tracer, client, send, command, rest, api, input, modelId);
    if (api === 'InvokeModel') ensureHeaderMiddleware(client);
    return call;
  } catch (error) {
    burnrateLogger.warn(
      'preparing Bedrock call failed; telemetry for this call may be incomplete',
      error,
    );
    return undefined;
  }
}
