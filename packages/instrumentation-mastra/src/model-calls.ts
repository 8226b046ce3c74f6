import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'node:stream/web';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  type CallSpan,
  countTextTokens,
  GEN_AI_OPERATION,
  recordModelUsage,
  safely,
  traceModelCall,
} from '@burnrate/core';
import { resolveModel } from '@burnrate/instrumentation-vercel-ai';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { type ProviderUsage, tokensOf } from './usage.ts';

/**
 * Mastra's own model calls. Its agent loop calls the model straight through the AI SDK provider
 * (`doGenerate` / `doStream`), not through `ai` nor a client SDK, so nothing else sees them.
 * Mastra wraps every model it runs (`Agent#resolveModelConfig`: `AISDKV5/6/7LanguageModel`, the
 * model router, which wraps its own) and calls only the wrapper: each wrapper class is patched
 * the first time an agent resolves one, and each call becomes one priced `chat {model}` span
 * that also passes the budget gates (withBudget, the breaker). A wrapper called inside another
 * (the router's) is the same call: only the outer one is traced.
 */
interface ModelLike {
  provider?: unknown;
  modelId?: unknown;
}
interface CallOptionsLike {
  maxOutputTokens?: unknown;
  prompt?: unknown;
}
interface ResultLike {
  usage?: ProviderUsage;
  response?: { modelId?: unknown } | null;
  stream?: unknown;
}
interface StreamPart {
  type?: unknown;
  usage?: ProviderUsage;
  modelId?: unknown;
}
type Method = (this: unknown, ...args: never[]) => unknown;
export type Wrap = (target: object, name: string, wrapper: (original: Method) => Method) => void;

const inCall = new AsyncLocalStorage<true>();
/**
 * Mastra's own wrapper classes only: a model an app hands over unwrapped may also serve `ai`
 * calls elsewhere, which the AI SDK's telemetry prices already.
 */
const MASTRA_WRAPPER = /^(AISDKV\d+(Legacy)?LanguageModel|ModelRouterLanguageModel)$/;
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Patches the class of a model Mastra resolved (once per class). */
export function patchModelClass(
  model: unknown,
  wrap: Wrap,
  tracer: () => Tracer,
  on: () => boolean,
): void {
  if (typeof model !== 'object' || model === null) return;
  const proto = Object.getPrototypeOf(model) as object | null;
  if (!proto || !MASTRA_WRAPPER.test(String(proto.constructor?.name))) return;
  for (const method of ['doGenerate', 'doStream'] as const) {
    if (!Object.hasOwn(proto, method)) continue;
    wrap(proto, method, (original) => modelCall(original, method === 'doStream', tracer, on));
  }
}

function modelCall(
  original: Method,
  streamed: boolean,
  tracer: () => Tracer,
  on: () => boolean,
): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    const call = () => Reflect.apply(original, this, args);
    if (!on() || inCall.getStore()) return call();
    const model = (typeof this === 'object' && this !== null ? this : {}) as ModelLike;
    const prepared = safely('reading a Mastra model call', () => prepare(model, streamed));
    if (!prepared) return call();
    const options = (args[0] ?? {}) as CallOptionsLike;
    return inCall.run(true, () =>
      traceModelCall({
        tracer: tracer(),
        name: prepared.name,
        attributes: prepared.attributes,
        request: options,
        gate: () => ({
          provider: prepared.provider,
          operation: GEN_AI_OPERATION.CHAT,
          model: prepared.model,
          maxOutputTokens:
            typeof options.maxOutputTokens === 'number' ? options.maxOutputTokens : undefined,
          estimateInputTokens: () =>
            countTextTokens(JSON.stringify(options.prompt ?? ''), prepared.model),
        }),
        // A degrade cannot be applied here: the call goes ahead unchanged, settled at its cost.
        applyGate: (req) => req,
        call: () => call() as Promise<unknown>,
        onResult: (span, value) => onResult(span, value, prepared, streamed),
      }),
    );
  };
}

interface Prepared {
  name: string;
  provider: string;
  model: string | undefined;
  attributes: Attributes;
}

function prepare(model: ModelLike, streamed: boolean): Prepared {
  const { provider, model: id } = resolveModel(
    text(model.provider) ?? 'unknown',
    text(model.modelId),
  );
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.CHAT,
    [ATTR_GEN_AI_PROVIDER_NAME]: provider,
  };
  if (id) attributes[ATTR_GEN_AI_REQUEST_MODEL] = id;
  if (streamed) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return { name: id ? `chat ${id}` : 'chat', provider, model: id, attributes };
}

function record(
  span: CallSpan,
  prepared: Prepared,
  usage: ProviderUsage | undefined,
  responseModel: unknown,
): void {
  recordModelUsage(span.span, {
    provider: prepared.provider,
    requestModel: prepared.model,
    responseModel: text(responseModel),
    tokens: tokensOf(usage),
    source: 'usage',
  });
}

function onResult(
  span: CallSpan,
  value: unknown,
  prepared: Prepared,
  streamed: boolean,
): 'open' | undefined {
  const result = (value ?? {}) as ResultLike;
  const stream = result.stream;
  // doGenerate (Mastra's wrappers add a replay `stream`, which is not the call): usage is here.
  if (!streamed || !(stream instanceof ReadableStream)) {
    record(span, prepared, result.usage, result.response?.modelId);
    return undefined;
  }
  let usage: ProviderUsage | undefined;
  let responseModel: unknown;
  const finish = (error?: unknown) => {
    if (span.ended) return;
    safely('recording a Mastra stream', () => record(span, prepared, usage, responseModel));
    span.end(error);
  };
  // `cancel` (the reader stopped early): Node's streams call it; TypeScript's lib lacks it yet.
  const transformer: Transformer<unknown, unknown> & { cancel?: () => void } = {
    transform(part, controller) {
      safely('reading a Mastra stream part', () => {
        const p = (part ?? {}) as StreamPart;
        if (p.type === 'finish') usage = p.usage;
        else if (p.type === 'response-metadata' && p.modelId) responseModel = p.modelId;
      });
      controller.enqueue(part);
    },
    flush() {
      finish();
    },
    cancel() {
      finish();
    },
  };
  const piped = stream.pipeThrough(new TransformStream(transformer));
  (result as { stream: unknown }).stream = piped;
  return 'open';
}
