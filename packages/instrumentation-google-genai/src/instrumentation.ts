import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  BurnrateInstrumentation,
  type CallSpan,
  type Gated,
  GEN_AI_OPERATION,
  type PatchedModule,
  safely,
  traceModelCall,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { onEmbedResult } from './embed.ts';
import { type CallMeta, onGenerateResult, onStreamResult } from './generate.ts';
import { asParams, promptTokens, requestAttributes } from './request.ts';
import { serverInfo } from './server.ts';
import type { GenAIModuleLike, GenerateParamsLike, InternalMethod, ModelsLike } from './types.ts';

export type GoogleGenAIInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

interface Operation {
  method: 'generateContentInternal' | 'generateContentStreamInternal' | 'embedContentInternal';
  operation: string;
  stream: boolean;
  onResult(call: CallSpan, value: unknown, meta: CallMeta): 'open' | undefined;
}

/**
 * The SDK's public methods (`models.generateContent`, `generateContentStream`, `embedContent`,
 * `chats.create().sendMessage[Stream]`) are per-instance arrow functions that may make several
 * HTTP calls (automatic function calling, automatic continuation). Each HTTP call goes through one
 * of these `Models.prototype` methods, so patching them gives one span per billed API call, for
 * every client and chat, whoever imported the SDK.
 */
const OPERATIONS: readonly Operation[] = [
  {
    method: 'generateContentInternal',
    operation: GEN_AI_OPERATION.GENERATE_CONTENT,
    stream: false,
    onResult: onGenerateResult,
  },
  {
    method: 'generateContentStreamInternal',
    operation: GEN_AI_OPERATION.GENERATE_CONTENT,
    stream: true,
    onResult: onStreamResult,
  },
  {
    method: 'embedContentInternal',
    operation: GEN_AI_OPERATION.EMBEDDINGS,
    stream: false,
    onResult: onEmbedResult,
  },
];

/** A copy of the request with a gate's model swap and (for generation) output cap. */
function withGateChanges(params: unknown, gated: Gated, operation: string): unknown {
  const p = asParams(params);
  const cap = operation === GEN_AI_OPERATION.GENERATE_CONTENT ? gated.maxOutputTokens : undefined;
  if (!gated.model && cap === undefined) return params;
  const changed: GenerateParamsLike = { ...p };
  if (gated.model) changed.model = gated.model;
  if (cap !== undefined) changed.config = { ...p.config, maxOutputTokens: cap };
  return changed;
}

/** Traces `@google/genai` (Gemini Developer API and Vertex AI): generate content, streams, embeddings, chats. */
export class GoogleGenAIInstrumentation extends BurnrateInstrumentation<GoogleGenAIInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@google/genai', versions: ['>=2.0.0 <4'] }];
  }

  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-google-genai', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const proto = (exports as GenAIModuleLike | undefined)?.Models?.prototype;
    if (!proto) return;
    for (const op of OPERATIONS) this.#patch(proto, op);
  }

  #patch(proto: object, op: Operation): void {
    const instrumentation = this;
    this.wrapMethod(proto, op.method, (original) => {
      const call = original as unknown as InternalMethod;
      return function patched(this: ModelsLike, params: unknown) {
        if (!instrumentation.isEnabled()) return call.call(this, params);
        const prepared = safely('preparing request', () =>
          instrumentation.#prepare(this, op, params),
        );
        if (!prepared) return call.call(this, params);
        return traceModelCall({
          tracer: instrumentation.tracer,
          name: prepared.name,
          attributes: prepared.attributes,
          request: params,
          gate: {
            provider: prepared.meta.provider,
            operation: op.operation,
            model: asParams(params).model,
            maxOutputTokens: asParams(params).config?.maxOutputTokens,
            estimateInputTokens: () => promptTokens(params),
          },
          applyGate: (request, gated) => withGateChanges(request, gated, op.operation),
          call: (sent) => call.call(this, sent),
          onResult: (span, value, sent) =>
            op.onResult(span, value, { ...prepared.meta, params: sent }),
        });
      } as unknown as typeof original;
    });
  }

  #prepare(models: ModelsLike, op: Operation, params: unknown) {
    const server = serverInfo(models);
    const attributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: op.operation,
      [ATTR_GEN_AI_PROVIDER_NAME]: server.provider,
      ...requestAttributes(params),
    };
    if (op.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    if (server.address) attributes[ATTR_SERVER_ADDRESS] = server.address;
    if (server.port) attributes[ATTR_SERVER_PORT] = server.port;
    const model = attributes[ATTR_GEN_AI_REQUEST_MODEL];
    const name = typeof model === 'string' ? `${op.operation} ${model}` : op.operation;
    return { attributes, name, meta: { provider: server.provider, params } satisfies CallMeta };
  }
}
