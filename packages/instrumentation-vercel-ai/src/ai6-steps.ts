import { safely } from '@burnrate/core';
import { type Attributes, type Context, context, type Span, trace } from '@opentelemetry/api';
import { resolveModel } from './provider.ts';

/**
 * ai 6 makes spans only for calls that pass `experimental_telemetry: { isEnabled: true }`, but it
 * calls every globally registered integration's `onStepStart` / `onStepFinish` for each model call
 * of `generateText` and `streamText`. For calls without telemetry, Burnrate makes one
 * `chat {model}` span per step from those events (model and usage only: no prompt, no output),
 * which BurnrateSpanProcessor prices like any GenAI span (`ai6-calls.ts` pairs each call's step
 * events). A call with the AI SDK's own telemetry on already has its `ai.*.do*` spans: Burnrate
 * adds nothing to it.
 */
interface StepModel {
  provider?: string;
  modelId?: string;
}
export interface StepFinish {
  model?: StepModel;
  usage?: {
    inputTokens?: number;
    outputTokens?: number;
    inputTokenDetails?: { cacheReadTokens?: number; cacheWriteTokens?: number };
    outputTokenDetails?: { reasoningTokens?: number };
    cachedInputTokens?: number;
    reasoningTokens?: number;
  };
  response?: { modelId?: string };
}
export interface Pending {
  start: number;
  parent: Context;
}

/** Whether the AI SDK's own telemetry span of this call is the active span. */
export function ownTelemetryOn(): boolean {
  const span = trace.getActiveSpan() as (Span & { name?: unknown }) | undefined;
  if (!span?.isRecording()) return false;
  return typeof span.name === 'string' && span.name.startsWith('ai.');
}

/** A step about to call the model: when, and the context its span belongs under. */
export function stepStarted(): Pending {
  return { start: Date.now(), parent: context.active() };
}

/** The step's `chat {model}` span, made and ended now, from its `onStepFinish` event. */
export function stepSpan(event: StepFinish, step: Pending): void {
  safely('AI SDK step finish', () => {
    if (!event.model?.provider) return;
    const { provider, model } = resolveModel(event.model.provider, event.model.modelId);
    const response = event.response?.modelId;
    const u = event.usage ?? {};
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': provider,
      'gen_ai.request.model': model,
      'gen_ai.response.model': response
        ? resolveModel(event.model.provider, response).model
        : undefined,
      'gen_ai.usage.input_tokens': u.inputTokens,
      'gen_ai.usage.output_tokens': u.outputTokens,
      'gen_ai.usage.cache_read.input_tokens':
        u.inputTokenDetails?.cacheReadTokens ?? u.cachedInputTokens,
      'gen_ai.usage.cache_creation.input_tokens': u.inputTokenDetails?.cacheWriteTokens,
      'gen_ai.usage.reasoning.output_tokens':
        u.outputTokenDetails?.reasoningTokens ?? u.reasoningTokens,
    };
    for (const k of Object.keys(attributes)) {
      if (attributes[k] === undefined) delete attributes[k];
    }
    trace
      .getTracer('@burnrate/instrumentation-vercel-ai')
      .startSpan(`chat ${model ?? ''}`.trim(), { startTime: step.start, attributes }, step.parent)
      .end();
  });
}
