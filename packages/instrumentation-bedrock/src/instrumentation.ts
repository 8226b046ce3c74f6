import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  BurnrateInstrumentation,
  hasModelCallGates,
  type PatchedModule,
  safely,
  traceCallOf,
} from '@burnrate/core';
import type { Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { type BedrockCall, CommandKinds, KINDS, prepare } from './bedrock-call.ts';
import { promptTokens as invokePromptTokens } from './body.ts';
import { promptTokens as conversePromptTokens } from './converse.ts';
import { type GateInput, gateBedrockCall } from './gate.ts';
import type { BedrockModuleLike, ClientLike, CommandLike, SendMethod } from './types.ts';

export type BedrockInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

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

/**
 * The gates' verdict on a call. Apart from `patchedSend`, which runs on every call: a function that
 * makes a closure gets a context for what it captures on every call, gates or not.
 */
function consultGates(
  tracer: Tracer,
  command: CommandLike,
  first: BedrockCall,
): ReturnType<typeof gateBedrockCall> | undefined {
  return safely('consulting budget gates', () =>
    gateBedrockCall(tracer, command, gateInput(first)),
  );
}

/** What the budget gates are told of a call (built only when a gate is registered). */
function gateInput(p: BedrockCall): GateInput {
  const { api, operation, modelId, request, input, name, attributes } = p;
  const converse = api === 'Converse' || api === 'ConverseStream';
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
    const kinds = new CommandKinds();
    for (const kind of KINDS) {
      const cls = mod[`${kind}Command`];
      if (cls) kinds.add(cls, kind);
    }
    const instrumentation = this;
    this.wrapMethod(proto, 'send', (original) => {
      const send = original as unknown as SendMethod;
      return function patchedSend(this: ClientLike, command: CommandLike, ...rest: unknown[]) {
        // Callback-style calls return nothing to observe: they pass through untraced.
        if (!instrumentation.isEnabled() || hasCallback(rest)) {
          return send.call(this, command, ...rest);
        }
        const first = prepare(instrumentation.tracer, this, send, command, rest, kinds);
        if (!first) return send.call(this, command, ...rest);
        let call = first;
        // The gates are asked only when one is registered (nothing built per call otherwise).
        const gated = hasModelCallGates()
          ? consultGates(instrumentation.tracer, command, first)
          : undefined;
        if (gated?.blocked) return Promise.reject(gated.blocked);
        if (gated) {
          if (gated.command !== command) {
            const sent = gated.command;
            call = prepare(instrumentation.tracer, this, send, sent, rest, kinds) ?? first;
            call.command = sent;
          }
          Object.assign(call.attributes, gated.attributes);
          call.decisions = gated.decisions;
        }
        // The call is its own span options and traced call (one object, see bedrock-call.ts).
        return traceCallOf(call, call, observePromise);
      } as unknown as typeof original;
    });
  }
}
