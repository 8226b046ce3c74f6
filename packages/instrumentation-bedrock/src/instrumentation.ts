import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  BurnrateInstrumentation,
  type CallSpan,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  hasModelCallGates,
  type PatchedModule,
  safely,
  traceCall,
} from '@burnrate/core';
import { type Attributes, context } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  promptTokens as invokePromptTokens,
  invokeRequestAttributes,
  isTextCompletion,
  parseJsonBody,
} from './body.ts';
import {
  promptTokens as conversePromptTokens,
  converseRequestAttributes,
  onConverseResult,
  onConverseStreamResult,
} from './converse.ts';
import { type GateInput, gateBedrockCall } from './gate.ts';
import { onInvokeResult, onInvokeStreamResult } from './invoke.ts';
import { isEmbeddingModel } from './model-id.ts';
import type {
  BedrockModuleLike,
  ClientLike,
  CommandClass,
  CommandLike,
  Json,
  SendMethod,
} from './types.ts';
import { ensureHeaderMiddleware, type HeaderSlot, withHeaderSlot } from './usage-headers.ts';

export type BedrockInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

type Kind = 'InvokeModel' | 'InvokeModelWithResponseStream' | 'Converse' | 'ConverseStream';
const KINDS: readonly Kind[] = [
  'InvokeModel',
  'InvokeModelWithResponseStream',
  'Converse',
  'ConverseStream',
];

interface Prepared {
  name: string;
  attributes: Attributes;
  /** Where InvokeModel's response headers land (the other operations read none). */
  slot: HeaderSlot | undefined;
  onResult: (call: CallSpan, value: unknown) => 'open' | undefined;
  kind: Kind;
  operation: string;
  modelId: string;
  /** The parsed native body (InvokeModel*), else undefined. */
  request: Json | undefined;
  input: Json;
}

/** Callback-style calls (`send(command, cb)`) return nothing to observe. */
function hasCallback(rest: unknown[]): boolean {
  for (const r of rest) if (typeof r === 'function') return true;
  return false;
}

/** The SDK's promise, watched from the side: the caller gets the very same object. */
function observePromise<R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
): R {
  (result as Promise<unknown>).then(onValue, onError);
  return result;
}

/** What the budget gates are told of a call (built only when a gate is registered). */
function gateInput(p: Prepared): GateInput {
  const { kind, operation, modelId, request, input, name, attributes } = p;
  const converse = kind === 'Converse' || kind === 'ConverseStream';
  const max = attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS];
  return {
    converse,
    operation,
    modelId,
    request,
    converseInput: request === undefined ? input : undefined,
    maxTokens: typeof max === 'number' ? max : undefined,
    estimateInputTokens: converse
      ? () => conversePromptTokens(input, modelId)
      : () => invokePromptTokens(request, modelId),
    name,
    attributes,
  };
}

/**
 * Cost for the AWS Bedrock Runtime client: `InvokeModel` and `InvokeModelWithResponseStream` for
 * every model family's native body (Anthropic, Titan / Nova, Llama, Cohere, Mistral, AI21 ...),
 * and `Converse` / `ConverseStream`. Patches `BedrockRuntimeClient.prototype.send` (which the
 * `BedrockRuntime` aggregate client uses too); the client does not trace itself.
 */
export class BedrockInstrumentation extends BurnrateInstrumentation<BedrockInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@aws-sdk/client-bedrock-runtime', versions: ['>=3.400.0 <4'] }];
  }

  constructor(config: BedrockInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-bedrock', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as BedrockModuleLike | undefined;
    const proto = mod?.BedrockRuntimeClient?.prototype;
    if (!proto) return;
    const classes = new Map<CommandClass, Kind>();
    for (const kind of KINDS) {
      const cls = mod[`${kind}Command`];
      if (cls) classes.set(cls, kind);
    }
    const instrumentation = this;
    this.wrapMethod(proto, 'send', (original) => {
      const send = original as unknown as SendMethod;
      return function patchedSend(this: ClientLike, command: CommandLike, ...rest: unknown[]) {
        // Callback-style calls return nothing to observe: they pass through untraced.
        if (!instrumentation.isEnabled() || hasCallback(rest)) {
          return send.call(this, command, ...rest);
        }
        let sent = command;
        let prepared = safely('preparing Bedrock call', () =>
          prepare(this, command, rest[0], classes),
        );
        if (!prepared) return send.call(this, command, ...rest);
        const first = prepared;
        // The gates are asked only when one is registered (nothing built per call otherwise).
        const gated = hasModelCallGates()
          ? safely('consulting budget gates', () =>
              gateBedrockCall(instrumentation.tracer, command, gateInput(first)),
            )
          : undefined;
        if (gated?.blocked) return Promise.reject(gated.blocked);
        if (gated && gated.command !== command) {
          sent = gated.command;
          prepared =
            safely('preparing Bedrock call', () => prepare(this, sent, rest[0], classes)) ?? first;
        }
        const { name, attributes, slot, onResult } = prepared;
        if (gated) Object.assign(attributes, gated.attributes);
        return traceCall(
          { tracer: instrumentation.tracer, name, attributes, decisions: gated?.decisions },
          // InvokeModel's header middleware finds this call's slot in the active context; the
          // other operations read no headers (no context made for them).
          slot
            ? () =>
                context.with(withHeaderSlot(context.active(), slot), () =>
                  send.call(this, sent, ...rest),
                )
            : () => send.call(this, sent, ...rest),
          onResult,
          observePromise,
        );
      } as unknown as typeof original;
    });
  }
}

function kindOf(command: CommandLike, classes: Map<CommandClass, Kind>): Kind | undefined {
  for (const [cls, kind] of classes) if (command instanceof cls) return kind;
  // A command made by another loaded copy of the client package.
  const name = command?.constructor?.name?.replace(/Command$/, '');
  return KINDS.find((k) => k === name);
}

function prepare(
  client: ClientLike,
  command: CommandLike,
  options: unknown,
  classes: Map<CommandClass, Kind>,
): Prepared | undefined {
  const kind = kindOf(command, classes);
  const input = command?.input;
  const modelId = input?.modelId;
  if (!kind || !input || typeof modelId !== 'string') return undefined;
  const signal = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
  let slot: HeaderSlot | undefined;
  let operation: string = GEN_AI_OPERATION.CHAT;
  let attributes: Attributes;
  let onResult: Prepared['onResult'];
  let request: Json | undefined;
  if (kind === 'InvokeModel' || kind === 'InvokeModelWithResponseStream') {
    request = parseJsonBody(input.body);
    if (isEmbeddingModel(modelId)) operation = GEN_AI_OPERATION.EMBEDDINGS;
    else if (isTextCompletion(request)) operation = GEN_AI_OPERATION.TEXT_COMPLETION;
    attributes = invokeRequestAttributes(request);
    if (kind === 'InvokeModel') {
      slot = {};
      const info = { modelId, request, slot, signal };
      onResult = (call, value) => onInvokeResult(call, value, info);
      ensureHeaderMiddleware(client);
    } else {
      const info = { modelId, request, slot: {}, signal };
      onResult = (call, value) => onInvokeStreamResult(call, value, info);
    }
  } else {
    attributes = converseRequestAttributes(input);
    const info = { modelId, input, signal };
    onResult =
      kind === 'Converse'
        ? (call, value) => onConverseResult(call, value, info)
        : (call, value) => onConverseStreamResult(call, value, info);
  }
  // Plain stores (no literal with computed keys merged in).
  attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
  attributes[ATTR_GEN_AI_PROVIDER_NAME] = GEN_AI_PROVIDER.AWS_BEDROCK;
  attributes[ATTR_GEN_AI_REQUEST_MODEL] = modelId;
  if (kind === 'InvokeModelWithResponseStream' || kind === 'ConverseStream')
    attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  const name = `${operation} ${modelId}`;
  return { name, attributes, slot, onResult, kind, operation, modelId, request, input };
}
